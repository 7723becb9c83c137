"""Background tasks of planning (django-tasks; the database backend runs them in
`python -m safeboard db_worker`).

`send_action_reminders` emails each owner once a week about their open actions due within
14 days and those overdue. Run it weekly: `python -m safeboard plan remind` enqueues it (put
that in cron or a systemd timer, see docs/planning.md); `--now` sends at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from safeboard.core import tenancy
from safeboard.partnership.access import membership
from safeboard.partnership.models import Partnership

from .models import Action
from .selectors import DUE_SOON_DAYS, reminders_due


@dataclass
class ReminderRun:
    partnerships: int = 0
    emails: int = 0
    actions: int = 0


def remind(partnership: Partnership, today: date) -> tuple[int, int]:
    """Send one partnership's reminders; returns (emails sent, actions reminded about)."""
    with tenancy.partnership_scope(partnership):
        due = reminders_due(today)
        reminded: set[int] = set()
        sent = 0
        for person, all_actions in sorted(due.items(), key=lambda item: item[0].name):
            # An action from a restricted record reaches only those who may open its
            # register, and even then its email carries no details (see the template).
            member = membership(person.user, partnership) if person.user_id else None
            actions = [
                a
                for a in all_actions
                if not a.register or (member is not None and member.may_open(a.register))
            ]
            if not actions:
                continue
            overdue = [a for a in actions if a.due is not None and a.due < today]
            soon = [a for a in actions if a.due is not None and a.due >= today]
            context = {
                "person": person,
                "partnership": partnership,
                "overdue": overdue,
                "soon": soon,
                "days": DUE_SOON_DAYS,
                "site": settings.SITE_URL.rstrip("/"),
                "today": today,
            }
            subject = (
                f"{partnership.short_name or partnership.name}: "
                f"{len(overdue)} overdue and {len(soon)} due soon"
                if overdue
                else f"{partnership.short_name or partnership.name}: "
                f"{len(soon)} action{'s' if len(soon) != 1 else ''} due in the next "
                f"{DUE_SOON_DAYS} days"
            )
            body = render_to_string("planning/email/reminder.txt", context)
            send_mail(subject, body, None, [person.email])
            sent += 1
            reminded |= {a.pk for a in actions}
        with transaction.atomic():
            Action.objects.filter(pk__in=reminded).update(last_reminded_on=today)
    return sent, len(reminded)


@task()
def send_action_reminders(today: str | None = None) -> dict[str, int]:
    """Email owners about actions due within 14 days and overdue, in every partnership.
    `today` (ISO date) is for tests and catching up; by default, today."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    run = ReminderRun()
    with tenancy.unscoped():
        partnerships = list(Partnership.objects.all())
    for partnership in partnerships:
        sent, actions = remind(partnership, day)
        run.partnerships += 1
        run.emails += sent
        run.actions += actions
    return {"partnerships": run.partnerships, "emails": run.emails, "actions": run.actions}
