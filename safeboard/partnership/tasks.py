"""Background tasks of the partnership kernel (django-tasks; `python -m safeboard db_worker`
runs them).

`send_clock_digest` emails, once a week, everyone who may see running statutory clocks how
many are overdue or due soon (`python -m safeboard clocks digest` queues it: put that in cron
or a systemd timer, see docs/deployment.md; `--now` sends at once).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from safeboard.core import tenancy

from .clocks import digest
from .models import Partnership


@task()
def send_clock_digest(today: str | None = None) -> dict[str, int]:
    """The weekly digest of running clocks, in every partnership. `today` (ISO date) is for
    tests and catching up; by default, today."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    with tenancy.unscoped():
        partnerships = list(Partnership.objects.all())
    emails = sum(digest(partnership, day) for partnership in partnerships)
    return {"partnerships": len(partnerships), "emails": emails}


@task()
def send_notification(notification_id: int) -> bool:
    """Email one notification, for a person who chose to hear at once."""
    from .models import Notification
    from .notifications import email_one

    with tenancy.unscoped():
        notification = (
            Notification.objects.select_related("user", "partnership")
            .filter(pk=notification_id)
            .first()
        )
    if notification is None:
        return False
    with tenancy.partnership_scope(notification.partnership):
        return email_one(notification)


@task()
def send_notification_digest(today: str | None = None) -> dict[str, int]:
    """The daily run: notify the clocks now due soon, then email each person who chose the
    daily digest their notifications not yet emailed. `today` (ISO date) is for tests and
    catching up; by default, today."""
    from .clocks import notify_due_soon
    from .notifications import day_end, digest

    day = date.fromisoformat(today) if today else timezone.localdate()
    with tenancy.unscoped():
        partnerships = list(Partnership.objects.all())
    clocks = sum(notify_due_soon(partnership, day) for partnership in partnerships)
    until = min(day_end(day), timezone.now())
    emails = sum(digest(partnership, until) for partnership in partnerships)
    return {"partnerships": len(partnerships), "clocks": clocks, "emails": emails}
