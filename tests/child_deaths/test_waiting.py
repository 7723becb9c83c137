"""What waits for the coordinator ("waiting for you"), each item linking to the list filtered
to exactly what it counts; and the agency form's length, a partnership setting of the clock
engine that applies to forms asked for afterwards."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.child_deaths import services
from safeboard.child_deaths.models import AgencyForm
from safeboard.core import tenancy
from safeboard.core.workdays import add_working_days
from safeboard.partnership.models import Partnership

from .conftest import TODAY, complete, notify

pytestmark = pytest.mark.django_db


def waiting(client: Client) -> dict[str, tuple[int, str]]:
    home = client.get("/p/alpha/").content.decode()
    section = home.split('data-testid="waiting"', 1)[1].split("</section>", 1)[0]
    found = re.findall(
        r'<a class="govuk-link" href="([^"]+)"><strong>(\d+)</strong> ([^<]+)</a>', section
    )
    return {label: (int(count), href.replace("&amp;", "&")) for href, count, label in found}


def test_the_coordinator_sees_what_waits_and_each_link_lists_exactly_it(
    as_alice: Client, alpha: Partnership, panel: Any, police: Any, health: Any
) -> None:
    late, ready, released = (notify(alpha, panel) for _ in range(3))
    with tenancy.partnership_scope(alpha):
        services.request_forms(late, agencies=[police], requested_on=TODAY - timedelta(days=60))
        services.request_forms(late, agencies=[health], requested_on=TODAY)
        (form,) = services.request_forms(ready, agencies=[police], requested_on=TODAY)
        services.receive_form(form, received_on=TODAY, complete=True)
    review = complete(released, on=TODAY - timedelta(days=1), modifiable=True)
    with tenancy.partnership_scope(alpha):
        services.add_recommendation(
            review, partnership=alpha, text="Share it", owner=police, due=TODAY + timedelta(9)
        )
    items = waiting(as_alice)
    # One of each: each label agrees with its count.
    assert items["late agency reporting form (child death reviews)"][0] == 1
    assert items["child death ready for the panel"][0] == 1
    assert items["child death review with recommendations to release"][0] == 1
    forms_page = as_alice.get(items["late agency reporting form (child death reviews)"][1])
    text = forms_page.content.decode()
    assert text.count(late.reference) == 1 and "Alpha Hospitals Trust" not in text
    for label, death in (
        ("child death ready for the panel", ready),
        ("child death review with recommendations to release", released),
    ):
        page = as_alice.get(items[label][1]).content.decode()
        listed = set(re.findall(r"CD-\d{4}-\d{3}", page.split('data-testid="deaths"')[1]))
        assert listed == {death.reference}, label
    with tenancy.partnership_scope(alpha):
        services.release_recommendations(review, on=TODAY)
    assert "child death review with recommendations to release" not in waiting(as_alice)


def test_nobody_else_is_counted_the_registers_work(
    as_bob: Client, alpha: Partnership, panel: Any, police: Any
) -> None:
    death = notify(alpha, panel)
    with tenancy.partnership_scope(alpha):
        services.request_forms(death, agencies=[police], requested_on=TODAY - timedelta(days=60))
    assert not any("child death" in label for label in waiting(as_bob))


def test_the_form_length_is_the_partnerships_setting_for_new_forms_only(
    as_alice: Client, alpha: Partnership, panel: Any, police: Any, health: Any
) -> None:
    death = notify(alpha, panel)
    start = TODAY - timedelta(days=3)
    with tenancy.partnership_scope(alpha):
        (before,) = services.request_forms(death, agencies=[police], requested_on=start)
    assert before.due == add_working_days(start, 15)  # the default
    page = as_alice.get("/p/alpha/clocks/settings/").content.decode()
    assert "Agency reporting form returned" in page and "15 working days" in page
    response = as_alice.post(
        "/p/alpha/clocks/settings/",
        {"kind": "child_deaths.agency_form", "count": "10", "unit": "working_days"},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        (after,) = services.request_forms(death, agencies=[health], requested_on=start)
        before = AgencyForm.objects.get(pk=before.pk)
    assert after.due == add_working_days(start, 10)
    assert before.due == add_working_days(start, 15)  # a form asked for before keeps its length


def test_the_panels_host_sees_the_clocks_of_the_forms_it_chases(
    as_alice: Client, alpha: Partnership, gamma: Partnership, panel: Any, police: Any
) -> None:
    """A shared partnership's resident's forms are chased by the panel's host: their clocks
    are the host's (its clocks page, its length), though the record is the child's
    partnership's."""
    from safeboard.core.models import Clock, ClockSetting

    from .conftest import area_of

    with tenancy.unscoped():
        ClockSetting.objects.create(
            partnership=alpha, kind="child_deaths.agency_form", count=10, unit="working_days"
        )
    death = notify(alpha, panel, area=area_of(gamma))
    assert death.partnership == gamma
    start = TODAY - timedelta(days=40)
    with tenancy.partnership_scope(alpha):
        (form,) = services.request_forms(death, agencies=[police], requested_on=start)
    assert form.due == add_working_days(start, 10)  # the host's length
    with tenancy.unscoped():
        assert Clock.objects.get(record_id=form.pk).partnership == alpha
    page = as_alice.get("/p/alpha/clocks/?view=soon").content.decode()
    assert f"{death.reference}: POL form" in page
    link = f"/p/alpha/child-deaths/{death.pk}/"  # through the host, where she opens it
    assert f'href="{link}"' in page
    assert as_alice.get(link).status_code == 200
