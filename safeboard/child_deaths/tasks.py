"""Background tasks of the child death register (django-tasks; the database backend runs
them in `python -m safeboard db_worker`).

`send_form_reminders` chases agencies for their reporting forms: once a week at most for each
form, when it is due within 5 working days or late, it emails the agency's safeguarding
leads (and the people named for the agency in the partnership, when it has no lead). The email
carries counts and references only, never a child's name: the details stay in Safeboard.
Run it daily with `python -m safeboard child-deaths remind` (it queues the task; `--now` sends
at once).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from safeboard.core import tenancy
from safeboard.core.workdays import add_working_days
from safeboard.partnership.models import Agency, Person, Role

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


def recipients(agency: Agency) -> list[str]:
    people = Person._base_manager.filter(
        partnership_id=agency.partnership_id,
        active=True,
        roles__role=Role.AGENCY_LEAD,
        roles__agency=agency,
    ).exclude(email="")
    emails = sorted({p.email for p in people})
    if not emails:
        emails = sorted(
            set(
                Person._base_manager.filter(agency=agency, active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
    return emails


def chase(today: date) -> dict[str, int]:
    """Send the reminders due today (in every partnership)."""
    with tenancy.unscoped():
        by_agency: dict[int, list[AgencyForm]] = defaultdict(list)
        for form in forms_to_chase(today):
            by_agency[form.agency_id].append(form)
        emails = forms = 0
        site = settings.SITE_URL.rstrip("/")
        for found in by_agency.values():
            agency = found[0].agency
            to = recipients(agency)
            if not to:
                continue
            late = [f for f in found if f.due < today]
            lines = "\n".join(
                f"- {f.death.reference}: due {f.due:%d %B %Y}{' (late)' if f.due < today else ''}"
                for f in sorted(found, key=lambda f: f.due)
            )
            send_mail(
                f"Child death review: {len(found)} reporting form"
                f"{'s' if len(found) != 1 else ''} from {agency.short_name} "
                + (f"({len(late)} late)" if late else "due soon"),
                f"The child death overview panel is waiting for {agency.name}’s reporting "
                f"forms for these reviews:\n\n{lines}\n\nPlease return them to the child death "
                "review coordinator by the secure route you were given. Safeboard does not "
                f"send the children's details by email.\n\n{site}\n",
                None,
                to,
            )
            emails += 1
            for form in found:
                services.note_reminder(form, today)
                forms += 1
    return {"emails": emails, "forms": forms}


@task()
def send_form_reminders(today: str | None = None) -> dict[str, int]:
    """Chase late and nearly due agency forms. `today` (ISO date) is for tests and catching
    up; by default, today."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return chase(day)
