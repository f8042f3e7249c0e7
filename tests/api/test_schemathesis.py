"""Property-based test of the whole API against its own OpenAPI schema: whatever
schemathesis generates (valid and invalid bodies, odd strings, huge numbers), the API
never answers with a server error nor with an answer its schema does not document.
Bounded to a few examples per operation for CI."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ebok.integration.models import ApiKey

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection after each request, which would
    close the test's transaction; Django's test client avoids this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def all_scopes_key(db):
    _key, raw = ApiKey.generate("schemathesis", [ApiKey.Scope.IMPORT, ApiKey.Scope.EXPORT])
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,  # the same examples on every run: CI never flickers
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_with_a_server_error(case, all_scopes_key, keep_test_connection):
    """No server error, and every answer is one the schema documents, in its shape."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {all_scopes_key}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
