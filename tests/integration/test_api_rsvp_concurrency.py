"""50 concurrent RSVPs through the HTTP API on a session with 10 seats: exactly 10 going.

The API calls the same ``rsvp_set`` as the pages (session row lock, recount, waitlist), over a
real threaded live server on PostgreSQL. The negative control switches the lock off and sees
the same requests overbook, so the assertion can fail.
"""

import json
import time
import urllib.error
import urllib.request

import pytest

from events.models import Rsvp
from tests.api.conftest import make_token
from tests.integration import test_rsvp_concurrency as rsvp_race
from tests.integration.test_rsvp_concurrency import CAPACITY, people, run_concurrently

pytestmark = pytest.mark.integration
CROWD = 50
# The same session, race window and lock switch as the service-level concurrency tests.
session = rsvp_race.session
race_window = rsvp_race.race_window
without_lock = rsvp_race.without_lock


def put_going(base_url: str, session_id: int, token: str):
    """One person's PUT; the test server's small listen backlog can reset a connection, so the
    client retries with the same Idempotency-Key (a repeat changes nothing), as a client should."""

    def call():
        request = urllib.request.Request(
            f"{base_url}/api/v1/sessions/{session_id}/rsvp/",
            data=json.dumps({"status": "going"}).encode(),
            method="PUT",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"going-{session_id}",
            },
        )
        for attempt in range(10):
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                body = error.read()
                try:
                    return error.code, json.loads(body or b"{}")
                except ValueError:
                    return error.code, {"raw": body[:300].decode(errors="replace")}
            except (ConnectionResetError, urllib.error.URLError):
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("the live server never answered")

    return call


def fire(live_server, session):
    tokens = [make_token(person, ["rsvp"]) for person in people(CROWD, "api")]
    results, errors = run_concurrently([put_going(live_server.url, session.pk, t) for t in tokens])
    return results, errors


def test_fifty_concurrent_api_rsvps_fill_exactly_ten_seats(live_server, session, race_window):
    results, errors = fire(live_server, session)
    assert errors == []
    assert sorted({status for status, _body in results}) == [200], results
    statuses = sorted(body["status"] for _status, body in results)
    assert statuses.count("going") == CAPACITY
    assert statuses.count("waitlisted") == CROWD - CAPACITY
    assert Rsvp.objects.filter(session=session, status="going").count() == CAPACITY
    positions = sorted(
        Rsvp.objects.filter(session=session, status="waitlisted").values_list("position", flat=True)
    )
    assert positions == list(range(1, CROWD - CAPACITY + 1))


def test_without_the_lock_the_same_api_requests_overbook(
    live_server, session, race_window, without_lock
):
    """Negative control: the assertion above catches overbooking when the lock is off."""
    _results, errors = fire(live_server, session)
    assert errors == []
    assert Rsvp.objects.filter(session=session, status="going").count() > CAPACITY
