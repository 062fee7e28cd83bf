"""The OpenAPI schema: the one in the repository is the one the code generates, and the live API
keeps to it under schemathesis (0 server errors, 0 schema violations)."""

from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import make_token
from tests.factories import MembershipFactory, RsvpFactory, SessionFactory, TakeawayFactory

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_committed_schema_equals_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text() == COMMITTED.read_text(), (
        "api/openapi.yaml is stale: run `manage.py spectacular --file api/openapi.yaml`"
    )


@pytest.fixture
def api_token(db, coordinator, community, member):
    """A coordinator's token with every scope, in a world with something to find."""
    MembershipFactory(user=member, community=community)
    session = SessionFactory(community=community, location="Zaal 1", capacity=3)
    RsvpFactory(session=session, user=coordinator, status="going")
    TakeawayFactory(
        session=session, author=coordinator, owner=coordinator, visibility="organisation"
    )
    return make_token(coordinator)


@pytest.fixture
def live_schema(api_token):
    """The schema as the running app serves it. Requests go through the real WSGI handler in
    this process (inside the test's transaction), so it must not close the connection after
    each request, as Django's test client also arranges."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi(
        "/api/v1/schema/",
        get_wsgi_application(),
        headers={"Authorization": f"Bearer {api_token}"},
    )
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# A schema-valid request may still break a business rule (the end before the start, a session in
# the past, already a member): the API answers 422 with problem details, by design. Every other
# check (server errors, status codes, content types, headers, response bodies, rejection of
# schema-invalid input) runs.
RULES_NOT_IN_THE_SCHEMA = [positive_data_acceptance]

SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_api_keeps_to_its_schema(live_schema, api_token):
    """Every operation, with generated valid and invalid input: no 5xx, every answer (status,
    content type, headers, body) as the schema says. Failures are gathered per operation."""
    headers = {"Authorization": f"Bearer {api_token}"}
    failures = {}
    operations = [result.ok() for result in live_schema.get_all_operations()]
    assert len(operations) == 23

    for operation in operations:

        @given(case=operation.as_strategy())
        @SETTINGS
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=RULES_NOT_IN_THE_SCHEMA)

        try:
            check()
        except Exception as error:
            failures[operation.label] = str(error)[:2000]
    assert failures == {}


def test_api_keeps_to_its_schema_across_calls(live_schema, api_token):
    """Stateful: sequences of calls that follow the links schemathesis infers from the schema."""
    machine = live_schema.as_state_machine()
    assert len(machine._transitions.operations) >= 5, "the schema has no links to follow"
    machine.run(settings=settings(SETTINGS, max_examples=5, stateful_step_count=6))
