"""Property-based tests of the API from its own OpenAPI document (schemathesis): whatever
the input, no endpoint fails with a server error, and documented responses match their
schema. Runs as alice, administrator of the Alpha partnership."""

from __future__ import annotations

from datetime import date, time
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
    """Requests go through the real WSGI handler, whose end-of-request signal would close the
    test's database connection (Django's test client disconnects it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(alice: Any, alpha: Any, police: Any, health: Any) -> str:
    board = f.group(alpha, "Board")
    f.meeting(board, date(2025, 5, 1), start_time=time(10, 0))
    f.person(alpha, "Pat", police)
    key = f.api_key(alice, name="fuzz")
    return key


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
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
def test_no_input_breaks_the_api(case: Any, admin_token: str) -> None:
    if "partnership" in (case.path_parameters or {}):
        case.path_parameters["partnership"] = "alpha"
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
