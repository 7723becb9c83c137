"""Notifications: the one way any module tells a person that something needs them.

    from safeboard.partnership.notifications import notify

    notify(person, "return.submitted", text="Police return for 2026-27 Q2 is ready for you "
           "to sign off", url=agency_return_url, register="")

`notify` adds the notification to the person's list in Safeboard (the bell in the header,
with its unread count) and emails it: at once (a background task per notification) or in the
daily digest, as the person chose on their account page (`User.notification_email`).

Restricted records: pass the record's `register`. The notification then says only that
something in that register needs attention, with the link: the record's details are never
in the list, the email's subject or its body (whatever `text` says). The link leads through
the register's own pages, which check the reader and log the read.

`key` makes a notification once-only for a person (a clock "due soon" is told once).
People without a sign-in, or whose sign-in is inactive, are not notified.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeboard.core import demo, modules, tenancy

from .access import MEMBER, PartnershipRequest, membership, partnership_view
from .models import Agency, Notification, Partnership, Person, RoleAssignment
from .roles import Role

DIGEST_SUBJECT = "{name}: {count} notification{s} from Safeboard"


def restricted_text(register: str) -> str:
    found = modules.registers().get(register)
    label = found.label if found is not None else "a restricted register"
    return f"Something in {label} needs your attention"


def notify(
    person: Person | None,
    event: str,
    *,
    text: str,
    url: str = "",
    register: str = "",
    key: str = "",
) -> Notification | None:
    """Tell `person` about `event` (a dotted name, e.g. "action.completed"): in Safeboard,
    and by email at once or in their daily digest. Returns the notification, or None when
    the person has no active sign-in or was already told (`key`)."""
    if person is None or person.user_id is None or not person.active:
        return None
    user = person.user
    if user is None or not user.is_active:
        return None
    partnership = person.partnership
    if register:
        text = restricted_text(register)
    loading = demo.LOADING.get()
    with tenancy.partnership_scope(partnership):
        if key and Notification.objects.filter(user=user, key=key).exists():
            return None
        notification = Notification.objects.create(
            # The demo's story is told in Safeboard only: never emailed, not even in a digest.
            emailed_at=timezone.now() if loading else None,
            partnership=partnership,
            user=user,
            event=event,
            text=text[:300],
            url=url,
            register=register,
            key=key,
        )
    if user.email and user.notification_email == "immediate" and not loading:
        from .tasks import send_notification

        # The database backend's task row is written in this transaction: the worker sees it
        # only once the change it tells of is committed.
        send_notification.enqueue(notification.pk)
    return notification


def notify_all(people: Iterable[Person], event: str, **kwargs: Any) -> int:
    """`notify` each of `people` once (a person named twice is told once)."""
    seen: set[int] = set()
    sent = 0
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        sent += notify(person, event, **kwargs) is not None
    return sent


# --- who to tell ---------------------------------------------------------------------------


def people_with(role: str, agency: Agency | int | None = None) -> list[Person]:
    """Active people of the current partnership holding `role` (for `agency`, if given)."""
    assignments = RoleAssignment.objects.filter(role=role, person__active=True)
    if agency is not None:
        assignments = assignments.filter(agency=agency)
    ids = assignments.values("person_id")
    return list(Person.objects.filter(pk__in=ids).select_related("user", "partnership"))


def business_unit() -> list[Person]:
    return people_with(Role.BUSINESS_UNIT_ADMIN)


# --- email -----------------------------------------------------------------------------------


def _link(notification: Notification) -> str:
    return settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""


def _partnership_name(partnership: Partnership) -> str:
    return partnership.short_name or partnership.name


def email_one(notification: Notification) -> bool:
    """Email one notification (an immediate one). Its text is already free of restricted
    details (see `notify`)."""
    user = notification.user
    if notification.emailed_at is not None or not user.email:
        return False
    name = _partnership_name(notification.partnership)
    link = _link(notification)
    send_mail(
        f"{name}: {notification.text}"[:200],
        f"{notification.text}.\n\n"
        + (f"Open it in Safeboard:\n{link}\n\n" if link else "")
        + "You can choose to have these in one email a day on your account page.\n\nSafeboard\n",
        None,
        [user.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def digest(partnership: Partnership, until: datetime) -> int:
    """Email each person who chose the daily digest the notifications of `partnership` not
    yet emailed (made before `until`), in one email. Returns the number of emails sent."""
    sent = 0
    with tenancy.partnership_scope(partnership), transaction.atomic():
        waiting = (
            Notification.objects.filter(
                emailed_at__isnull=True,
                created_at__lt=until,
                user__notification_email="daily",
                user__is_active=True,
            )
            .exclude(user__email="")
            .select_related("user")
            .order_by("user_id", "created_at", "pk")
        )
        by_user: dict[int, list[Notification]] = {}
        for notification in waiting:
            by_user.setdefault(notification.user_id, []).append(notification)
        name = _partnership_name(partnership)
        site = settings.SITE_URL.rstrip("/")
        for items in by_user.values():
            user = items[0].user
            if membership(user, partnership) is None:
                continue
            lines = [f"- {n.text}" + (f"\n  {_link(n)}" if n.url else "") for n in items]
            send_mail(
                DIGEST_SUBJECT.format(
                    name=name, count=len(items), s="s" if len(items) != 1 else ""
                ),
                f"Dear {user},\n\nSince the last digest:\n\n"
                + "\n".join(lines)
                + f"\n\nEvery notification: {site}/p/{partnership.slug}/notifications/\n\n"
                "Safeboard\n",
                None,
                [user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent


def day_end(day: date) -> datetime:
    """The end of `day`, in the site's time zone (what a digest "for that day" covers)."""
    return timezone.make_aware(datetime.combine(day, time.max))


# --- pages: the person's notifications ---------------------------------------------------------


def unread_count(request: Any) -> int:
    partnership = getattr(request, "partnership", None)
    if partnership is None or getattr(request, "member", None) is None:
        return 0
    return Notification.objects.filter(user=request.user, read_at__isnull=True).count()


@partnership_view(perm=MEMBER)
def notification_list(request: PartnershipRequest) -> HttpResponse:
    """The signed-in person's own notifications in this partnership, newest first."""
    mine = Notification.objects.filter(user=request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/notifications.html",
        {
            "page": page,
            "notifications": page.object_list,
            "show": show,
            "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
            "email_choice": request.user.get_notification_email_display(),
        },
    )


@require_POST
@partnership_view(perm=MEMBER)
def notification_open(request: PartnershipRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    found = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    target = found.url if found.url.startswith("/") and not found.url.startswith("//") else ""
    return redirect(target or reverse("partnership:notifications", args=[request.partnership.slug]))


@require_POST
@partnership_view(perm=MEMBER)
def notifications_read(request: PartnershipRequest) -> HttpResponse:
    """Mark every notification read."""
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect(reverse("partnership:notifications", args=[request.partnership.slug]))
