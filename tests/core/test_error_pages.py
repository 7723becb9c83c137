"""The site's error pages (400, 403, 404, 405, 500) are in its design: the header, what went
wrong, and a way back. Errors are shown in the red error summary, and Django's generic
messages name their field."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import constants
from django.test import Client, RequestFactory

from safeboard.core.forms import errors_text
from safeboard.core.templatetags.govuk import error_summary


def _designed(html: str) -> None:
    assert 'class="sb-header' in html and "Safeboard" in html
    assert 'data-testid="error-page"' in html
    assert 'data-testid="way-back"' in html


@pytest.mark.django_db
def test_page_not_found_is_in_the_sites_design(as_bob: Client) -> None:
    response = as_bob.get("/p/alpha/agencies/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    _designed(html)
    assert "Page not found" in html
    assert "/p/alpha/" in html  # the way back goes to the partnership's home


@pytest.mark.django_db
def test_an_unknown_address_is_in_the_sites_design(as_bob: Client) -> None:
    response = as_bob.get("/no-such-page/")
    assert response.status_code == 404
    _designed(response.content.decode())


@pytest.mark.django_db
def test_forbidden_is_in_the_sites_design(as_bob: Client) -> None:
    response = as_bob.get("/p/alpha/agencies/new/")
    assert response.status_code == 403
    html = response.content.decode()
    _designed(html)
    assert "You cannot do this" in html


@pytest.mark.django_db
def test_a_form_target_opened_directly_is_in_the_sites_design(as_alice: Client, alpha: Any) -> None:
    response = as_alice.get("/p/alpha/areas/1/population/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    _designed(html)
    assert "cannot be opened directly" in html


@pytest.mark.django_db
def test_the_api_keeps_its_own_answers(as_alice: Client) -> None:
    response = as_alice.get("/api/v1/p/alpha/no-such-endpoint")
    assert response.status_code == 404
    assert "error-page" not in response.content.decode()


@pytest.mark.django_db
def test_server_error_is_in_the_sites_design(rf: RequestFactory) -> None:
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    _designed(html)
    assert "Sorry, there is a problem with Safeboard" in html


@pytest.mark.django_db
def test_an_uploads_result_reopened_goes_back_to_its_page(as_alice: Client, alpha: Any) -> None:
    from safeboard.core import tenancy

    from .. import factories as f

    person = f.person(alpha, "Dana")
    with tenancy.partnership_scope(alpha):
        pk = person.pk
    response = as_alice.get(f"/p/alpha/people/{pk}/roles/")
    assert response.status_code == 302 and response.url.endswith(f"/people/{pk}/#roles")


@pytest.mark.django_db
def test_an_error_message_is_in_the_red_error_summary(as_alice: Client, alpha: Any) -> None:
    from safeboard.core import tenancy
    from safeboard.partnership.models import Area

    with tenancy.partnership_scope(alpha):
        area = Area.objects.get()
    response = as_alice.post(f"/p/alpha/areas/{area.pk}/population/", {}, follow=True)
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "Important" not in html and "govuk-notification-banner" not in html
    assert "Enter children aged 0 to 17" in html
    assert constants.ERROR  # the level the summary shows


class _Form(forms.Form):
    name = forms.CharField()
    agency = forms.ChoiceField(choices=[("", "—"), ("a", "A")])
    count = forms.IntegerField(label="Number of meetings")


def test_generic_messages_name_their_field() -> None:
    form = _Form({"count": "many"})
    messages = [message for _, message in error_summary(form)["errors"]]
    assert messages == ["Enter name", "Choose agency", "Number of meetings: enter a whole number."]
    assert errors_text(form) == "; ".join(messages)
