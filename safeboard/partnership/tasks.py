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
