"""Background tasks of the child death register (django-tasks; the database backend runs
them in `python -m safeboard db_worker`).

`send_form_reminders` chases agencies for their reporting forms: once a week at most for each
form, when it is due within 5 working days or late, it tells the agency's safeguarding leads
(or its people, when it has no lead) through `partnership.notifications.notify` with the
register named. So the notification and its email say only "Something in Child deaths needs
your attention" with a link to Safeboard: never a reference, a child's name or a date. Run
it daily with `python -m safeboard child-deaths remind` (it queues the task; `--now` sends at
once).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from safeboard.core import tenancy
from safeboard.core.workdays import add_working_days

from . import services
from .models import AgencyForm

SOON_WORKING_DAYS = 5
EVERY_DAYS = 7


def forms_to_chase(today: date) -> list[AgencyForm]:
    """Forms not received, due within 5 working days or late, not chased in the last week."""
    soon = add_working_days(today, SOON_WORKING_DAYS)
    forms = AgencyForm.objects.filter(received_on__isnull=True, due__lte=soon).select_related(
        "agency", "death"
    )
    return [
        f
        for f in forms
        if f.last_reminded_on is None or f.last_reminded_on <= today - timedelta(days=EVERY_DAYS)
    ]


def chase(today: date) -> dict[str, int]:
    """Send the reminders due today (in every partnership): one notification for each person
    of each agency with forms to chase."""
    with tenancy.unscoped():
        by_agency: dict[int, list[AgencyForm]] = defaultdict(list)
        for form in forms_to_chase(today):
            by_agency[form.agency_id].append(form)
        told = forms = 0
        for found in by_agency.values():
            agency = found[0].agency
            late = sum(1 for f in found if f.due < today)
            sent = services.tell_agency(
                agency,
                "child_deaths.forms_due",
                f"{len(found)} child death reporting forms from {agency.short_name} ({late} late)",
                key=f"child_deaths:forms:{agency.pk}:{today.isoformat()}",
            )
            if not sent:
                continue  # nobody at the agency signs in: the coordinator chases it
            told += sent
            for form in found:
                services.note_reminder(form, today)
                forms += 1
    return {"notified": told, "forms": forms}


@task()
def send_form_reminders(today: str | None = None) -> dict[str, int]:
    """Chase late and nearly due agency forms. `today` (ISO date) is for tests and catching
    up; by default, today."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return chase(day)
