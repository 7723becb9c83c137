"""Case reviews: the record, its clocks, the rapid review's decision, re-categorisation,
publication held by parallel processes, recommendations as actions that inherit the register
until publication, and who sees what (carol, the case review officer, may; alice and bob see
published reviews only; charlie, an outsider, nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from safeboard.core import clocks, tenancy
from safeboard.core.clocks import ClockState
from safeboard.core.errors import ServiceError
from safeboard.learning import selectors, services
from safeboard.learning.models import CaseReview, Kind, Outcome, ProcessKind
from safeboard.planning.models import Action

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def _clocks(review: Any) -> dict[str, Any]:
    return {c.kind.split(".")[1]: c for c in clocks.clocks_of(review)}


def test_a_notified_incident_runs_the_notification_and_rapid_review_clocks(
    alpha: Any, review: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        found = _clocks(review)
    # 5 working days after Friday 19 December 2025: 22, 23, 24, 29, 30 December.
    assert found["notification"].due == date(2025, 12, 30)
    assert found["notification"].state(date(2026, 1, 5)) == ClockState.MET
    # 15 working days after 23 December 2025 (Christmas, Boxing Day, New Year's Day out).
    assert found["rapid_review"].due == date(2026, 1, 16)
    assert found["rapid_review"].state(date(2026, 1, 19)) == ClockState.OVERDUE
    assert "publication" not in found
    assert found["rapid_review"].label == "Child N: rapid review"


def test_deciding_on_a_local_review_starts_the_publication_clock(
    alpha: Any, review: Any, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_rapid_review(
            review,
            held_on=date(2026, 1, 14),
            agencies_present=[police],
            outcome=Outcome.LCSPR,
            decided_on=date(2026, 1, 31),
        )
        found = _clocks(review)
        review.refresh_from_db()
        assert review.kind == Kind.LCSPR
        assert review.recategorisations.get().to_kind == Kind.LCSPR
    assert found["rapid_review"].done == date(2026, 1, 14)
    assert found["rapid_review"].state(date(2026, 3, 1)) == ClockState.MET
    # 6 calendar months from 31 January: the last day of July.
    assert found["publication"].due == date(2026, 7, 31)


def test_no_local_review_needs_a_reason(alpha: Any, review: Any) -> None:
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="why no local"):
        services.record_rapid_review(review, held_on=date(2026, 1, 14), outcome=Outcome.NO_LCSPR)


def test_dates_in_the_wrong_order_are_refused(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="before the incident was known"):
            services.create_review(
                partnership=alpha,
                reference="CR-2",
                child="Child P",
                incident_known=date(2026, 1, 10),
                notified_on=date(2026, 1, 9),
            )
        with pytest.raises(ServiceError, match="became known"):
            services.create_review(partnership=alpha, reference="CR-2", child="Child P")


@pytest.mark.parametrize("child", ["Jane Smith", "JS", "Child jane", "Child ABCDE", ""])
def test_children_are_named_by_pseudonym_only(alpha: Any, child: str) -> None:
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="pseudonym"):
        services.create_review(partnership=alpha, reference="PR-1", child=child, kind=Kind.PRACTICE)


def test_a_review_is_re_categorised_with_date_and_reason(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        scr = services.create_review(
            partnership=alpha, reference="SCR-1", child="Child S", kind=Kind.SCR
        )
        with pytest.raises(ServiceError, match="why"):
            services.recategorise(scr, to_kind=Kind.PRACTICE, on=date(2017, 3, 1), reason=" ")
        services.recategorise(
            scr, to_kind=Kind.PRACTICE, on=date(2017, 3, 1), reason="Below the threshold"
        )
        scr.refresh_from_db()
        change = scr.recategorisations.get()
    assert scr.kind == Kind.PRACTICE
    assert (change.from_kind, change.to_kind, change.reason) == (
        Kind.SCR,
        Kind.PRACTICE,
        "Below the threshold",
    )
    assert not clocks.clocks_of(scr)  # a historical review runs no clock


def test_an_open_parallel_process_holds_publication(alpha: Any, review: Any, police: Any) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_rapid_review(
            review, held_on=date(2026, 1, 14), outcome=Outcome.LCSPR, decided_on=date(2026, 1, 20)
        )
        rec = services.add_recommendation(
            review, text="Share incidents with schools.", agency=police, due=days_ago(-30)
        )
        action = Action.objects.get(pk=rec.action_id)
        assert action.register == "case_reviews"
        assert action.source == "case_review"
        assert action.owner_agency == police
        assert "Child N" in action.source_label
        trial = services.add_process(review, kind=ProcessKind.CRIMINAL_TRIAL)
        services.add_process(review, kind=ProcessKind.INQUEST)
        with pytest.raises(ServiceError, match="criminal trial, inquest"):
            services.publish(review, on=days_ago(1))
        services.conclude_process(trial, on=days_ago(3))
        with pytest.raises(ServiceError, match="inquest"):
            services.publish(review, on=days_ago(1))
        for process in review.processes.filter(status="open"):
            services.conclude_process(process, on=days_ago(2))
        services.publish(review, on=days_ago(1), url="https://example.org/child-n")
        action.refresh_from_db()
        rec.refresh_from_db()
        found = _clocks(review)
    # Published: the action leaves the register, and the lesson parts become public.
    assert action.register == ""
    assert rec.sensitivity == "public"
    assert found["publication"].done == days_ago(1)


def _url(name: str, p: Any, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs={"partnership": p.slug, **kwargs})


def test_the_officer_opens_case_records_and_every_read_is_logged(
    as_carol: Client, alpha: Any, review: Any
) -> None:
    page = as_carol.get(_url("review", alpha, pk=review.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Child N" in text and "30 Dec 2025" in text  # the notification clock's due date
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    listing = as_carol.get(_url("index", alpha))
    assert "CR-1" in listing.content.decode()
    details = list(
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS).values_list(
            "additional_data__detail", flat=True
        )
    )
    assert sorted(details) == ["listed", "read"]


def test_others_see_only_published_reviews(
    as_alice: Client, alpha: Any, review: Any, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        practice = services.create_review(
            partnership=alpha, reference="PR-9", child="Child Q", kind=Kind.PRACTICE
        )
        services.add_lesson(practice, text="Hear the child.")
        services.publish(practice, on=days_ago(1))
    assert as_alice.get(_url("review", alpha, pk=review.pk)).status_code == 404
    page = as_alice.get(_url("review", alpha, pk=practice.pk))
    assert page.status_code == 200
    assert "Hear the child." in page.content.decode()
    listing = as_alice.get(_url("index", alpha)).content.decode()
    assert "Child Q" in listing and "Child N" not in listing and "CR-1" not in listing
    assert "Published reviews: 1" in listing
    assert as_alice.get(_url("review-new", alpha)).status_code == 403
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_bob_and_charlie(as_bob: Client, alpha: Any, review: Any, charlie: Any) -> None:
    assert as_bob.get(_url("review", alpha, pk=review.pk)).status_code == 404
    assert as_bob.get(_url("review-edit", alpha, pk=review.pk)).status_code == 403
    assert as_bob.get(_url("theme-new", alpha)).status_code == 403
    from ..conftest import sign_in

    outsider = sign_in(Client(), charlie)
    assert outsider.get(_url("index", alpha)).status_code == 404
    assert outsider.get(_url("review", alpha, pk=review.pk)).status_code == 404


def test_the_officer_records_a_case_in_the_browser_forms(
    as_carol: Client, alpha: Any, police: Any
) -> None:
    response = as_carol.post(
        _url("review-new", alpha),
        {
            "reference": "CR-7",
            "child": "Child K",
            "kind": Kind.RAPID_REVIEW,
            "incident_known": days_ago(3).isoformat(),
            "harm": "serious_harm",
            "known_to": [police.pk],
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        created = CaseReview.objects.get(reference="CR-7")
        assert list(created.known_to.all()) == [police]
        assert _clocks(created)["notification"].start == days_ago(3)
    wrong = as_carol.post(
        _url("review-new", alpha),
        {"reference": "CR-7", "child": "Child K", "kind": Kind.PRACTICE},
    )
    assert wrong.status_code == 200
    assert "There is already a review CR-7" in wrong.content.decode()


def test_themes_recur_across_reviews_and_years(alpha: Any, as_alice: Client) -> None:
    with tenancy.partnership_scope(alpha):
        neglect = services.add_theme(partnership=alpha, name="Neglect")
        voice = services.add_theme(partnership=alpha, name="Voice of the child")
        with pytest.raises(ServiceError, match="already"):
            services.add_theme(partnership=alpha, name="neglect")
        for n, year in enumerate((2016, 2019, 2020)):
            review = services.create_review(
                partnership=alpha, reference=f"PR-{n}", child=f"Child {n}", kind=Kind.PRACTICE
            )
            services.add_lesson(review, text="Neglect seen late", themes=[neglect])
            if n == 0:
                services.add_lesson(review, text="Not heard", themes=[voice])
            services.publish(review, on=date(year, 5, 1))
        rows, years = selectors.theme_recurrence(published_only=True)
    assert years == [2016, 2019, 2020]
    assert rows[0].theme == neglect
    assert rows[0].review_count == 3 and rows[0].recurs
    assert rows[0].by_year == {2016: 1, 2019: 1, 2020: 1}
    assert not rows[1].recurs
    page = as_alice.get(_url("themes", alpha)).content.decode()
    assert "Recurs" in page and "Neglect" in page


def test_a_recommendations_action_through_to_its_impact(
    as_carol: Client, alpha: Any, review: Any, police: Any, bob: Any, alice: Any
) -> None:
    """A recommendation's action is the tracker's: owned by the agency, in the case reviews
    register until publication (bob, of the owning agency, does not see it), released by
    publication; its impact, recorded once completion is confirmed, shows on the review's
    page for the officer and, once published, for every member."""
    from safeboard.planning import services as planning

    from ..conftest import sign_in

    with tenancy.partnership_scope(alpha):
        rec = services.add_recommendation(
            review, text="Share incidents with schools.", agency=police, due=days_ago(-30)
        )
        action = Action.objects.get(pk=rec.action_id)
        with pytest.raises(ServiceError, match="confirmed"):
            planning.record_impact(action, by=None, text="Too soon")
        planning.record_completion(
            action, by=None, evidence_text="Protocol signed", author_name="DI Shah", confirm=True
        )
        planning.record_impact(action, by=None, text="Audit: every incident shared in a day.")
    as_bob = sign_in(Client(), bob)
    tracker = reverse("planning:action", kwargs={"partnership": "alpha", "pk": action.pk})
    assert as_bob.get(tracker).status_code == 404
    page = as_carol.get(_url("review", alpha, pk=review.pk)).content.decode()
    assert "Audit: every incident shared in a day." in page
    with tenancy.partnership_scope(alpha):
        services.recategorise(review, to_kind=Kind.PRACTICE, on=days_ago(1), reason="Below")
        services.publish(review, on=days_ago(1))
    assert as_bob.get(tracker).status_code == 200
    published = sign_in(Client(), alice).get(_url("review", alpha, pk=review.pk))
    assert "Audit: every incident shared in a day." in published.content.decode()
