"""Property-based run of the whole tenancy API against its OpenAPI schema (schemathesis):
no request, however odd, may cause a server error, and every answer must match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from faelles.web.tests.world import build_world
from faelles.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def _keep_test_connection():
    """Calling the WSGI app directly sends request_started/finished, whose handler would close
    the database connection the test transaction lives on (Django's test client does the same
    as this fixture)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
@pytest.mark.parametrize("who", ["op_admin", "admin_a"])
def test_tenancy_api_conforms_to_its_schema(who):
    world = build_world()
    token = Token.objects.create(user=getattr(world, who))
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith("/api/v1/tenancy/")
    ]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
