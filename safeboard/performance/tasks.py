"""Background tasks of the performance module (django-tasks; `make run` starts a worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from safeboard.core import tenancy

from . import selectors
from .models import AgencyReturn, CollectionRound, ReturnStatus


@task()
def send_round_reminders(round_id: int, agency_ids: list[int]) -> int:
    """Email each chased agency's contributors and lead what their return still lacks.
    Returns the number of emails sent."""
    with tenancy.unscoped():
        collection = CollectionRound.objects.select_related("partnership").get(pk=round_id)
    sent = 0
    today = timezone.localdate()
    with tenancy.partnership_scope(collection.partnership):
        returns = (
            AgencyReturn.objects.filter(round=collection, agency_id__in=agency_ids)
            .exclude(status=ReturnStatus.SIGNED_OFF)
            .select_related("agency", "round")
        )
        for agency_return in returns:
            recipients = selectors.return_contacts(agency_return.agency_id)
            if not recipients:
                continue
            rows = selectors.return_rows(agency_return)
            missing = [
                f"- {r.indicator.code} {r.indicator.title}, {r.period.label}"
                for r in rows
                if not r.given
            ]
            queries = [
                f"- {r.indicator.code} {r.period.label}: {r.query}" for r in rows if r.needs_comment
            ]
            link = settings.SITE_URL.rstrip("/") + reverse(
                "performance:return",
                kwargs={
                    "partnership": collection.partnership.slug,
                    "pk": collection.pk,
                    "agency": agency_return.agency_id,
                },
            )
            when = (
                f"was due on {collection.due:%d %B %Y} ({(today - collection.due).days} days ago)"
                if today > collection.due
                else f"is due on {collection.due:%d %B %Y}"
            )
            lines = [
                f"{agency_return.agency.name}’s return for {collection.period} to "
                f"{collection.partnership.name} {when}.",
                "",
            ]
            if missing:
                lines += ["Figures still to give (or the reason they are missing):", *missing, ""]
            if queries:
                lines += ["Large changes that need a comment before sign-off:", *queries, ""]
            if not missing and not queries:
                lines += ["Every figure is in: it is waiting for your lead to sign it off.", ""]
            lines += [f"Open the return: {link}", "", "Safeboard"]
            send_mail(
                subject=f"Reminder: {agency_return.agency.short_name} return for "
                f"{collection.period}",
                message="\n".join(lines),
                from_email=None,
                recipient_list=recipients,
            )
            agency_return.reminded_at = timezone.now()
            agency_return.save(update_fields=["reminded_at"])
            sent += 1
    return sent
