from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from safeboard.child_deaths import services
from safeboard.child_deaths.models import AgencyForm, ChildDeath, Status
from safeboard.core import tenancy
from safeboard.core.clocks import ClockState
from safeboard.core.errors import ServiceError
from safeboard.core.models import Clock
from safeboard.partnership.models import Partnership
from safeboard.planning.models import Action

from .conftest import TODAY, area_of, complete, notify

pytestmark = pytest.mark.django_db


def test_residence_decides_the_partnership(
    alpha: Partnership, gamma: Partnership, panel: Any
) -> None:
    death = notify(alpha, panel, area=area_of(gamma))
    assert death.partnership == gamma
    assert death.reference.startswith(f"CD-{death.date_of_death.year}-")
    # The panel's host sees it; the child's partnership sees it; nobody else does.
    for p in (alpha, gamma):
        with tenancy.partnership_scope(p):
            assert list(ChildDeath.objects.all()) == [death]


def test_a_shared_partnership_sees_only_its_own_residents(
    alpha: Partnership, gamma: Partnership, beta: Partnership, panel: Any
) -> None:
    own = notify(alpha, panel)
    theirs = notify(alpha, panel, area=area_of(gamma))
    with tenancy.partnership_scope(gamma):
        assert list(ChildDeath.objects.all()) == [theirs]
    with tenancy.partnership_scope(alpha):
        assert set(ChildDeath.objects.all()) == {own, theirs}
    with tenancy.partnership_scope(beta):
        assert not ChildDeath.objects.exists()


def test_an_area_the_panel_does_not_serve_is_refused(
    alpha: Partnership, beta: Partnership, panel: Any
) -> None:
    with pytest.raises(ServiceError, match="not one the panel serves"):
        notify(alpha, panel, area=area_of(beta))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nhs_number": "9434765918"}, "check digit"),
        ({"date_of_birth": TODAY - timedelta(days=400 + 18 * 366)}, "18th birthday"),
        ({"date_of_birth": TODAY}, "before the date of birth"),
        ({"jar_needed": True}, "Say why"),
        ({"notified_on": TODAY - timedelta(days=500)}, "before it happened"),
    ],
)
def test_notifications_are_checked(alpha: Partnership, change: dict, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        notify(alpha, **change)


def test_forms_run_a_clock_and_its_state_follows_receipt(
    death: Any, alpha: Partnership, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        (form,) = services.request_forms(
            death, agencies=[police], requested_on=death.date_of_death + timedelta(days=7)
        )
        clock = Clock.objects.get(record_id=form.pk, kind=services.FORM_CLOCK)
        assert form.due == clock.due > form.requested_on
        assert clock.register == "child_deaths"
        assert clock.state(TODAY) == ClockState.OVERDUE
        assert death.status == Status.GATHERING
        services.receive_form(form, received_on=form.due + timedelta(days=3), complete=True)
        clock.refresh_from_db()
        assert clock.state(TODAY) == ClockState.MISSED
        assert form.on_time is False
        assert death.status == Status.AWAITING_PANEL
        with pytest.raises(ServiceError, match="already"):
            services.request_forms(death, agencies=[police], requested_on=TODAY)


def test_a_completed_review_needs_its_category_and_modifiable(
    death: Any, alpha: Partnership
) -> None:
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="category"):
        services.record_review(
            death, panel_date=TODAY, completed_on=TODAY, category=None, modifiable=False
        )
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="which modifiable"):
        services.record_review(
            death, panel_date=TODAY, completed_on=TODAY, category=3, modifiable=True
        )
    review = complete(death, on=TODAY, category=3)
    assert death.status == Status.COMPLETED
    assert review.time_band == "More than 12 months"


def test_recommendations_are_restricted_actions_until_released(
    death: Any, alpha: Partnership, police: Any
) -> None:
    review = complete(death, on=TODAY, modifiable=True)
    with tenancy.partnership_scope(alpha):
        rec = services.add_recommendation(
            review,
            partnership=alpha,
            text="Safe sleep",
            owner=police,
            due=TODAY + timedelta(days=60),
        )
        action = Action.objects.get(pk=rec.action_id)
        assert action.source == "child_death_review" and action.register == "child_deaths"
        assert action.source_record == rec
        assert services.release_recommendations(review, on=TODAY) == 1
        action.refresh_from_db()
        assert action.register == ""


def test_meetings_and_factors(death: Any, alpha: Partnership, police: Any) -> None:
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="no joint agency response"):
            services.record_meeting(death, kind="jar", held_on=TODAY, agencies=[police])
        meeting = services.record_meeting(death, kind="cdrm", held_on=TODAY, agencies=[police])
        assert list(meeting.agencies.all()) == [police]
        review = complete(death, on=TODAY)
        with pytest.raises(ServiceError, match="0, 1 or 2"):
            services.add_factor(review, domain="child", description="x", grade=3)
        services.add_factor(review, domain="child", description="Prematurity", grade=2)
        assert AgencyForm.objects.count() == 0


def test_the_case_review_link_resolves_only_through_the_learning_module(
    death: Any, alpha: Partnership
) -> None:
    from django.apps import apps

    complete(death, on=TODAY)
    done = {"panel_date": TODAY, "completed_on": TODAY, "category": 8, "modifiable": False}
    if not apps.is_installed("safeboard.learning"):
        # Kept as the number given; nothing to resolve it to.
        with tenancy.partnership_scope(alpha):
            review = services.record_review(death, case_review_id=12, **done)
        assert review.case_review_id == 12 and review.case_review is None
    else:
        # A number that is not a case review of the child's partnership is refused.
        with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="case review"):
            services.record_review(death, case_review_id=10**12, **done)


def test_a_case_review_of_the_same_child_is_linked_when_the_learning_module_is_there(
    death: Any, alpha: Partnership, beta: Partnership
) -> None:
    from django.apps import apps

    if not apps.is_installed("safeboard.learning"):
        pytest.fail("the learning module is expected in INSTALLED_APPS")
    from safeboard.learning import services as learning  # tests may import any module

    with tenancy.partnership_scope(alpha):
        case = learning.create_review(
            partnership=alpha, reference="CR-1", child="Child A", kind="practice"
        )
    with tenancy.partnership_scope(beta):
        elsewhere = learning.create_review(
            partnership=beta, reference="CR-1", child="Child B", kind="practice"
        )
    done = {"panel_date": TODAY, "completed_on": TODAY, "category": 1, "modifiable": False}
    with tenancy.partnership_scope(alpha):
        review = services.record_review(death, case_review_id=case.pk, **done)
        assert review.case_review == case
        with pytest.raises(ServiceError, match="case review"):
            services.record_review(death, case_review_id=elsewhere.pk, **done)
