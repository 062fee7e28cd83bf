"""The bytes of mail the app sends stay what they were: one calendar invitation (Dutch) and one
reminder (English), rendered through the real services and the outbox's ``build_email``.

Only what is random by design is masked (the MIME boundaries and the Message-ID); everything
else — headers, both bodies, the calendar part, the signed reply address and RSVP links — must
match the files under ``tests/golden/`` byte for byte. Set ``UPDATE_GOLDEN=1`` to rewrite them
after a deliberate change, and read the diff.
"""

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from communities.mail.models import OutboxMessage
from communities.mail.services import build_email
from events.reminders.services.planner import reminders_plan
from events.sessions.services.rsvp import rsvp_set
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"
AMS = ZoneInfo("Europe/Amsterdam")
BOUNDARY = re.compile(rb"=+\d+==")
MESSAGE_ID = re.compile(rb"^Message-ID: <[0-9a-f]{32}@", re.MULTILINE)


def mail_bytes(message: OutboxMessage) -> bytes:
    raw = build_email(message).message().as_bytes()
    raw = BOUNDARY.sub(b"==BOUNDARY==", raw)
    return MESSAGE_ID.sub(b"Message-ID: <MESSAGE-ID@", raw)


def assert_golden(name: str, raw: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(raw)
    assert raw == path.read_bytes()


@pytest.fixture
def world(time_machine):
    """Fixed ids, calendar UID and clock, so nothing but the masked parts can vary."""
    time_machine.move_to(datetime(2026, 10, 1, 10, 0, tzinfo=UTC), tick=False)
    community = CommunityFactory(pk=990001, name="Data & AI-gilde", slug="data-ai-gilde")
    anna = UserFactory(pk=990001, email="anna@example.org", display_name='Anna "AJ" de Vries',
                       language="nl")  # fmt: skip
    ben = UserFactory(pk=990002, email="ben@example.org", display_name="Ben", language="en")
    for person in (anna, ben):
        MembershipFactory(user=person, community=community)
    session = SessionFactory(
        pk=990001,
        community=community,
        uid="golden-session@kennisplein.test",
        title="Type hints & tests",
        description="Over typen, met voorbeelden.",
        location="Zaal 4",
        start=datetime(2026, 10, 25, 9, 0, tzinfo=AMS),
        end=datetime(2026, 10, 25, 10, 0, tzinfo=AMS),
    )
    return session, anna, ben


def test_invitation_mail_is_byte_identical(world):
    session, anna, _ben = world
    rsvp_set(session_id=session.pk, user=anna, status="going")

    [message] = OutboxMessage.objects.filter(kind="calendar_request", recipient=anna)
    assert_golden("invitation_nl.eml", mail_bytes(message))


def test_reminder_mail_is_byte_identical(world, time_machine):
    session, _anna, ben = world
    rsvp_set(session_id=session.pk, user=ben, status="going")
    time_machine.move_to(datetime(2026, 10, 24, 6, 56, tzinfo=UTC), tick=False)
    reminders_plan()

    [message] = OutboxMessage.objects.filter(kind="reminder_before", recipient=ben)
    assert_golden("reminder_en.eml", mail_bytes(message))
