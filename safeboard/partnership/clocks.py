"""Every running statutory clock of the partnership in one place (`core.clocks` is the engine;
modules start and stop the clocks): the list, nearest due first, for those who may open each
clock's records; the partnership's own lengths; the home panel; the weekly digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.clocks import ClockKind, ClockState, Length, Unit, clock_kinds, length_for
from safeboard.core.models import Clock, ClockSetting
from safeboard.core.navigation import Waiting
from safeboard.core.workdays import add_working_days

from .access import MEMBER, Membership, PartnershipRequest, membership, partnership_view
from .models import Partnership, Person
from .registers import RegisterReader

# A clock "about to run out": due within this many working days.
SOON_WORKING_DAYS = 5
VIEWS = {
    "soon": "Overdue or due within 5 working days",
    "overdue": "Overdue",
    "due_soon": "Due within 5 working days",
    "running": "Every running clock",
    "done": "Stopped in the last 12 months",
}


def visible_clocks(member: Membership) -> Any:
    """Clocks of the member's partnership whose records the member may see: those with no
    register, and those of the registers the member may open."""
    from django.db.models import Q

    from safeboard.core import modules

    opened = [key for key in modules.registers() if member.may_open(key)]
    return Clock.objects.filter(Q(register="") | Q(register__in=opened))


def running(member: Membership, today: date, view: str = "running") -> Any:
    clocks = visible_clocks(member)
    if view == "done":
        return clocks.filter(done__isnull=False, done__gte=today.replace(year=today.year - 1))
    clocks = clocks.filter(done__isnull=True)
    if view in ("soon", "due_soon"):
        clocks = clocks.filter(due__lte=add_working_days(today, SOON_WORKING_DAYS))
    if view == "overdue":
        clocks = clocks.filter(due__lt=today)
    if view == "due_soon":
        clocks = clocks.filter(due__gte=today)
    return clocks.order_by("due", "pk")


@dataclass
class ClockRow:
    clock: Clock
    kind: ClockKind | None
    state: ClockState
    days_left: int
    url: str

    @property
    def days_late(self) -> int:
        return -self.days_left


def rows(clocks: list[Clock], today: date) -> list[ClockRow]:
    kinds = clock_kinds()
    clocks = list(clocks)
    # One query per kind of record, not one per clock; a record of the partnership in scope
    # links to it without fetching the partnership again.
    prefetch_related_objects(clocks, "record")
    current = tenancy.current_partnership()
    found = []
    for clock in clocks:
        record = clock.record
        if current is not None and getattr(record, "partnership_id", None) == current.pk:
            record.partnership = current  # type: ignore[union-attr]
        getter = getattr(record, "get_absolute_url", None)
        url = getter() if callable(getter) else ""
        found.append(
            ClockRow(
                clock,
                kinds.get(clock.kind),
                clock.state(today),
                clock.days_left(today),
                url,
            )
        )
    return found


@partnership_view(perm=MEMBER)
def clock_list(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    view = request.GET.get("view", "soon")
    if view not in VIEWS:
        view = "soon"
    shown = RegisterReader.for_request(request).visible(running(request.member, today, view))
    return render(
        request,
        "partnership/clocks.html",
        {
            "rows": rows(shown, today),
            "view": view,
            "views": VIEWS,
            "today": today,
            "can_manage": request.user.has_perm("partnership.manage", request.partnership),
        },
    )


class ClockSettingForm(forms.Form):
    count = forms.IntegerField(label="Length", min_value=0, max_value=365)
    unit = forms.ChoiceField(label="Counted in", choices=Unit.choices)
    reason = forms.CharField(
        label="Why the partnership uses its own length", max_length=300, required=False
    )


@partnership_view(perm="partnership.manage")
def clock_settings(request: PartnershipRequest) -> HttpResponse:
    kinds = clock_kinds()
    own = {s.kind: s for s in ClockSetting.objects.all()}
    chosen = request.POST.get("kind") if request.method == "POST" else None
    form = ClockSettingForm(request.POST or None)
    if chosen is not None and chosen in kinds and form.is_valid():
        data = form.cleaned_data
        default = kinds[chosen].default
        if Length(data["count"], data["unit"]) == default:
            ClockSetting.objects.filter(kind=chosen).delete()
            messages.success(request, f"{kinds[chosen].label}: back to the national default.")
        else:
            ClockSetting.objects.update_or_create(
                kind=chosen,
                defaults={
                    "partnership": request.partnership,
                    "count": data["count"],
                    "unit": data["unit"],
                    "reason": data["reason"],
                },
            )
            messages.success(
                request,
                f"{kinds[chosen].label}: {Length(data['count'], data['unit'])} for clocks "
                "started from now on. Clocks already running keep their length.",
            )
        return redirect(reverse("partnership:clock-settings", args=[request.partnership.slug]))
    return render(
        request,
        "partnership/clock_settings.html",
        {
            "kinds": [
                (kind, own.get(key), length_for(request.partnership, key))
                for key, kind in sorted(kinds.items(), key=lambda item: item[1].label)
            ],
            "form": form,
            "chosen": chosen,
            "units": Unit.choices,
        },
    )


def panel(request: PartnershipRequest) -> dict[str, Any] | None:
    """The home panel: clocks about to run out, for those who may see any."""
    today = timezone.localdate()
    clocks = list(running(request.member, today, "soon"))
    if not clocks:
        return None
    states = [c.state(today) for c in clocks]
    return {
        "overdue": states.count(ClockState.OVERDUE),
        "soon": states.count(ClockState.OPEN),
        "next_due": clocks[0].due,
    }


def waiting(request: PartnershipRequest) -> list[Waiting]:
    """For the person's "waiting for you" list: clocks of their registers about to run out."""
    today = timezone.localdate()
    clocks = list(running(request.member, today, "soon"))
    if not clocks:
        return []
    url = reverse("partnership:clocks", args=[request.partnership.slug]) + "?view=soon"
    overdue = any(c.state(today) == ClockState.OVERDUE for c in clocks)
    return [
        Waiting(
            "Statutory clocks overdue or about to run out",
            len(clocks),
            url,
            overdue,
            clocks[0].due,
            one="Statutory clock overdue or about to run out",
        )
    ]


# --- the weekly digest ----------------------------------------------------------------------


def digest(partnership: Partnership, today: date) -> int:
    """Email each member who may see running clocks how many are overdue or due soon. The
    email carries counts and a link, never a record's name: the details stay in Safeboard."""
    sent = 0
    site = settings.SITE_URL.rstrip("/")
    with tenancy.partnership_scope(partnership):
        people = Person.objects.filter(active=True, user__isnull=False).exclude(email="")
        for person in people.select_related("user"):
            member = membership(person.user, partnership)
            if member is None:
                continue
            clocks = list(running(member, today, "running"))
            if not clocks:
                continue
            overdue = sum(1 for c in clocks if c.state(today) == ClockState.OVERDUE)
            soon = len(list(running(member, today, "soon"))) - overdue
            link = site + reverse("partnership:clocks", args=[partnership.slug])
            send_mail(
                f"{partnership.short_name or partnership.name}: statutory clocks this week",
                f"Dear {person.name},\n\n"
                f"{len(clocks)} statutory clock{'s are' if len(clocks) != 1 else ' is'} "
                f"running in records you keep: {overdue} overdue and {soon} due within "
                f"{SOON_WORKING_DAYS} working days. The nearest is due on "
                f"{clocks[0].due:%d %B %Y}.\n\n"
                f"See them in Safeboard (the details are only there):\n{link}\n\nSafeboard\n",
                None,
                [person.email],
            )
            sent += 1
    return sent


# --- notifications: a clock about to run out --------------------------------------------------


def notify_due_soon(partnership: Partnership, today: date) -> int:
    """Tell each member who may see a running clock, once, when it is overdue or due within
    `SOON_WORKING_DAYS` working days (`notifications.notify`, keyed by the clock). A clock of a
    restricted register is told as "something in <register> needs your attention"."""
    from .notifications import notify

    told = 0
    kinds = clock_kinds()
    url = reverse("partnership:clocks", args=[partnership.slug]) + "?view=soon"
    with tenancy.partnership_scope(partnership):
        people = Person.objects.filter(active=True, user__isnull=False).select_related("user")
        for person in people:
            member = membership(person.user, partnership)
            if member is None:
                continue
            for clock in running(member, today, "soon"):
                kind = kinds.get(clock.kind)
                label = kind.label if kind is not None else "A statutory clock"
                late = clock.due < today
                text = f"{label}: {'overdue since' if late else 'due on'} {clock.due:%d %B %Y}"
                found = notify(
                    person,
                    "clock.due_soon",
                    text=text,
                    url=url,
                    register=clock.register,
                    key=f"clock:{clock.pk}:soon",
                )
                told += found is not None
    return told
