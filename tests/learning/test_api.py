"""The rest of a case through the API: changing it (PATCH: the incident, the local review and
its cost, the dissemination checklist), re-categorising it, its panel, milestones, parallel
processes and publication, assurance from agencies, lessons and recommendations. Carol (the
case review officer) may; alice (business unit) and bob (police) may not; charlie (another
partnership) gets 404. Every case the API hands out is read through the register reader and
logged; a token writes only with the `learning` scope."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from safeboard.core import clocks, tenancy
from safeboard.learning import services
from safeboard.learning.models import Kind
from safeboard.partnership.models import Notification

from .. import factories as f
from ..conftest import sign_in
from .conftest import days_ago

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha"


def _send(client: Client, method: str, path: str, data: Any, **extra: Any) -> Any:
    return getattr(client, method)(
        API + path, json.dumps(data), content_type="application/json", **extra
    )


def _reads(review_id: int) -> int:
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(review_id), object_repr__contains="CR-"
    ).count()


def test_patch_changes_the_incident_the_local_review_and_the_dissemination(
    as_carol: Client, alpha: Any, review: Any, police: Any
) -> None:
    before = _reads(review.pk)
    changed = _send(
        as_carol,
        "patch",
        f"/reviews/{review.pk}",
        {
            "incident_known": "2025-12-18",
            "reviewer": "Dr Reid",
            "terms_of_reference": "Agencies' contact in the year before",
            "scope_from": "2025-01-01",
            "scope_to": "2025-12-18",
            "cost": "12500.50",
            "training_updated_on": days_ago(3).isoformat(),
            "age_group": "1_5",
        },
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["reviewer"] == "Dr Reid" and body["cost"] == "12500.50"
    assert body["dissemination"]["training_updated_on"] == days_ago(3).isoformat()
    assert body["age_group"] == "1_5"
    # What was left out is kept: the notification and the agencies the child was known to.
    assert body["notified_on"] == "2025-12-23" and body["known_to"] == ["POL"]
    # The corrected date moves the notification clock: 5 working days after 18 December.
    notification = next(c for c in body["clocks"] if c["clock"] == "notification")
    assert notification["due"] == "2025-12-29"
    assert _reads(review.pk) > before
    # Null clears what may be cleared; a value that is not one of the choices is refused.
    cleared = _send(as_carol, "patch", f"/reviews/{review.pk}", {"cost": None})
    assert cleared.json()["cost"] is None and cleared.json()["reviewer"] == "Dr Reid"
    wrong = _send(as_carol, "patch", f"/reviews/{review.pk}", {"harm": "bruise"})
    assert wrong.status_code == 400 and "bruise" in wrong.json()["detail"]
    named = _send(as_carol, "patch", f"/reviews/{review.pk}", {"child": "Jane Smith"})
    assert named.status_code == 400 and "pseudonym" in named.json()["detail"]
    backwards = _send(
        as_carol,
        "patch",
        f"/reviews/{review.pk}",
        {"scope_from": "2025-06-01", "scope_to": "2025-01-01"},
    )
    assert backwards.status_code == 400
    with tenancy.partnership_scope(alpha):
        review.refresh_from_db()
        # Nothing of the refused changes was written.
        assert review.scope_from == date(2025, 1, 1) and review.harm == "death"


def test_only_the_officer_changes_a_case_and_an_outsider_finds_nothing(
    alice: Any, bob: Any, charlie: Any, review: Any
) -> None:
    as_alice, as_bob, as_charlie = (sign_in(Client(), u) for u in (alice, bob, charlie))
    for client in (as_alice, as_bob):
        assert _send(client, "patch", f"/reviews/{review.pk}", {"reviewer": "X"}).status_code == 403
        assert client.get(f"{API}/reviews/{review.pk}").status_code == 404
        panel = _send(client, "post", f"/reviews/{review.pk}/panel", {"agency_id": 1, "name": "X"})
        assert panel.status_code == 403
    assert _send(as_charlie, "patch", f"/reviews/{review.pk}", {"reviewer": "X"}).status_code == 404
    assert as_charlie.get(f"{API}/reviews/{review.pk}").status_code == 404


def test_panel_milestones_recategorisation_and_assurance(
    as_carol: Client, alpha: Any, review: Any, police: Any, carol: Any
) -> None:
    other = f.user("olive", p=alpha, roles=[("case_review_officer", None)])
    member = _send(
        as_carol,
        "post",
        f"/reviews/{review.pk}/panel",
        {"agency_id": police.pk, "name": "DI Shah", "role": "Chair"},
    )
    assert member.status_code == 201 and member.json()["agency"] == police.name
    milestone = _send(
        as_carol,
        "post",
        f"/reviews/{review.pk}/milestones",
        {"title": "Terms of reference agreed", "due": days_ago(5).isoformat()},
    )
    assert milestone.status_code == 201
    done = _send(
        as_carol,
        "post",
        f"/milestones/{milestone.json()['id']}/done",
        {"on": days_ago(1).isoformat()},
    )
    assert done.status_code == 200 and done.json()["done_on"] == days_ago(1).isoformat()
    changed = _send(
        as_carol,
        "post",
        f"/reviews/{review.pk}/recategorise",
        {"to_kind": "practice", "on": days_ago(1).isoformat(), "reason": "Below threshold"},
    )
    assert changed.status_code == 201 and changed.json()["from_kind"] == Kind.RAPID_REVIEW
    asked = _send(
        as_carol,
        "post",
        f"/reviews/{review.pk}/assurance",
        {"agency_id": police.pk, "requested_on": days_ago(4).isoformat()},
    )
    assert asked.status_code == 201
    twice = _send(
        as_carol,
        "post",
        f"/reviews/{review.pk}/assurance",
        {"agency_id": police.pk, "requested_on": days_ago(4).isoformat()},
    )
    assert twice.status_code == 400
    answered = _send(
        as_carol,
        "post",
        f"/assurance/{asked.json()['id']}/response",
        {"response": "Training delivered to every officer", "on": days_ago(1).isoformat()},
    )
    assert answered.status_code == 200 and answered.json()["responded_on"]
    detail = as_carol.get(f"{API}/reviews/{review.pk}").json()
    assert detail["kind"] == "practice"
    assert [m["name"] for m in detail["panel"]] == ["DI Shah"]
    assert detail["milestones"][0]["done_on"] == days_ago(1).isoformat()
    assert detail["recategorisations"][-1]["reason"] == "Below threshold"
    assert detail["assurance"][0]["response"] == "Training delivered to every officer"
    # The other officer is told of the response; the one who recorded it is not. The
    # notification names the register only.
    with tenancy.partnership_scope(alpha):
        told = Notification.objects.get(event="case_review.assurance_received")
        assert told.user == other
        assert told.text == "Something in Case reviews needs your attention"
        assert not Notification.objects.filter(user=carol).exists()


def test_processes_hold_publication_and_their_end_is_told(
    as_carol: Client, alpha: Any, police: Any
) -> None:
    other = f.user("olive", p=alpha, roles=[("case_review_officer", None)])
    with tenancy.partnership_scope(alpha):
        practice = services.create_review(
            partnership=alpha, reference="PR-1", child="Child G", kind=Kind.PRACTICE
        )
    unknown = _send(as_carol, "post", f"/reviews/{practice.pk}/processes", {"kind": "tea party"})
    assert unknown.status_code == 400
    trial = _send(as_carol, "post", f"/reviews/{practice.pk}/processes", {"kind": "criminal_trial"})
    inquest = _send(as_carol, "post", f"/reviews/{practice.pk}/processes", {"kind": "inquest"})
    on = {"on": days_ago(2).isoformat()}
    _send(as_carol, "post", f"/processes/{trial.json()['id']}/conclude", on)
    with tenancy.partnership_scope(alpha):
        assert not Notification.objects.filter(event="case_review.unheld").exists()
    _send(as_carol, "post", f"/processes/{inquest.json()['id']}/conclude", on)
    with tenancy.partnership_scope(alpha):
        told = Notification.objects.get(event="case_review.unheld")
        assert told.user == other and told.url.endswith(f"/reviews/{practice.pk}/")
    published = _send(as_carol, "post", f"/reviews/{practice.pk}/publish", on)
    assert published.status_code == 200
    assert [p["status"] for p in published.json()["processes"]] == ["concluded", "concluded"]


def test_a_token_writes_case_reviews_only_with_the_learning_scope(carol: Any, review: Any) -> None:
    client = Client()
    without = {"HTTP_AUTHORIZATION": f"Bearer {f.api_key(carol, 'planning')}"}
    with_scope = {"HTTP_AUTHORIZATION": f"Bearer {f.api_key(carol, 'learning', name='l')}"}
    body = {"reviewer": "Dr Reid"}
    assert _send(client, "patch", f"/reviews/{review.pk}", body, **without).status_code == 403
    assert client.get(f"{API}/reviews/{review.pk}", **without).status_code == 200
    assert _send(client, "patch", f"/reviews/{review.pk}", body, **with_scope).status_code == 200


def test_the_clock_engine_reaches_the_officers_notifications(
    as_carol: Client, alpha: Any, carol: Any, alice: Any
) -> None:
    """A case's clock about to run out is told to those who open the register (the core's
    `clock.due_soon`), never to others, and names the register only."""
    from safeboard.partnership.clocks import notify_due_soon

    with tenancy.partnership_scope(alpha):
        fresh = services.create_review(
            partnership=alpha, reference="CR-9", child="Child Q", incident_known=days_ago(1)
        )
        assert clocks.clocks_of(fresh)
    notify_due_soon(alpha, date.today())
    with tenancy.partnership_scope(alpha):
        told = Notification.objects.filter(event="clock.due_soon")
        assert {n.user for n in told} == {carol}
        assert {n.text for n in told} == {"Something in Case reviews needs your attention"}
        assert alice not in {n.user for n in told}


def test_listing_every_case_takes_the_same_queries_for_more_cases(
    as_carol: Client, alice: Any, alpha: Any, police: Any
) -> None:
    """The officer's `GET reviews` hands out every case whole: its parts are fetched for all
    the cases at once, not case by case (a large partnership has thousands)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        with tenancy.partnership_scope(alpha):
            theme = services.add_theme(partnership=alpha, name=f"Theme {n}")
            for i in range(3):
                case = services.create_review(
                    partnership=alpha,
                    reference=f"CR-{n}{i}",
                    child=f"Child {n}{i}",
                    incident_known=days_ago(30),
                    notified_on=days_ago(29),
                    known_to=[police],
                )
                services.add_panel_member(case, agency=police, name="DI Shah")
                services.add_milestone(case, title="Chronology", due=days_ago(-3))
                services.seek_assurance(case, agency=police, requested_on=days_ago(2))
                services.add_lesson(case, text="Hear the child", themes=[theme])
                services.add_recommendation(case, text="Do it", agency=police, due=days_ago(-9))
                if i == 0:
                    services.recategorise(case, to_kind=Kind.PRACTICE, on=days_ago(1), reason="R")
                    services.publish(case, on=days_ago(1))

    def queries(client: Client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/reviews").status_code == 200
        return len(captured.captured_queries)

    as_alice = sign_in(Client(), alice)
    add(1)
    officer, member = queries(as_carol), queries(as_alice)
    add(2)
    assert len(as_carol.get(f"{API}/reviews").json()) == 6
    assert len(as_alice.get(f"{API}/reviews").json()) == 2
    assert queries(as_carol) == officer
    assert queries(as_alice) == member
