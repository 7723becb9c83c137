"""Property-based tests of the case reviews API as the case review officer (who, unlike alice
in tests/api/test_schema_fuzz.py, gets past the permission checks): whatever the input, no
endpoint of a case fails with a server error, and documented responses match their schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from safeboard.api import api
from safeboard.wsgi import application

from .. import factories as f


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(carol: Any, review: Any) -> str:
    return f.api_key(carol, name="fuzz")


schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"/(reviews|milestones|processes|assurance)(/|$)"
)
schema.app = application


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_no_input_breaks_a_case(case: Any, officer_token: str, review: Any) -> None:
    params = case.path_parameters or {}
    if "partnership" in params:
        params["partnership"] = "alpha"
    if "review_id" in params:
        params["review_id"] = review.pk
    case.call_and_validate(
        headers={"Authorization": f"Bearer {officer_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
