from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from safeboard.child_deaths import services
from safeboard.child_deaths.models import AgencyForm
from safeboard.core import tenancy
from safeboard.partnership.models import Partnership, Role

from .. import factories as f
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_late_forms_are_chased_weekly_without_the_childs_details(
    death: Any, alpha: Partnership, police: Any, health: Any
) -> None:
    f.user("lead", p=alpha, agency=police, roles=[(Role.AGENCY_LEAD, police)])
    with tenancy.partnership_scope(alpha):
        services.request_forms(
            death, agencies=[police, health], requested_on=TODAY - timedelta(days=40)
        )
    call_command("child-deaths", "remind", "--now", "--date", TODAY.isoformat())
    # The police have a lead; the health trust has nobody with an email: one email.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.org"]
    assert death.reference in message.body and "(late)" in message.body
    assert death.first_name not in message.body and death.surname not in message.body
    with tenancy.unscoped():
        form = AgencyForm.objects.get(agency=police)
        assert form.reminders == 1 and form.last_reminded_on == TODAY
    call_command("child-deaths", "remind", "--now", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 1  # not again within the week
    later = (TODAY + timedelta(days=7)).isoformat()
    call_command("child-deaths", "remind", "--now", "--date", later)
    assert len(mail.outbox) == 2
