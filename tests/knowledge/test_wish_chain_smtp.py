"""A wish becomes a session, end to end, against a real SMTP server (aiosmtpd): a wish, "I'd
come" and "I can tell about this", a date poll, the answers as a grid, the winner scheduled in
one step with the volunteer as host, the new-session notice to everyone who said "I'd come"
(once, whatever the reminder planner does later), and the RSVP that sends the invitation."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest

from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from events.models import Session
from events.reminders.services.planner import reminders_plan
from knowledge.models import Wish
from knowledge.selectors.wishes import poll_grid
from knowledge.services.wishes import poll_create, poll_vote, wish_create, wish_interest_set
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


def deliver() -> None:
    for token in outbox_claim_due(now=datetime(2031, 1, 1, tzinfo=UTC)):
        outbox_deliver_batch(lease_token=token)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_wish_poll_session_invitation(client, smtp, community, coordinator, time_machine):
    time_machine.move_to(NOW, tick=False)
    anna = UserFactory(email="anna@example.org", display_name="Anna", language="nl")
    ben = UserFactory(email="ben@example.org", display_name="Ben", language="en")
    vera = UserFactory(email="vera@example.org", display_name="Vera Volunteer")
    for person in (anna, ben, vera):
        MembershipFactory(user=person, community=community)

    wish = wish_create(author=anna, community=community, title="Brown bag Omgevingswet")
    wish_interest_set(wish_id=wish.pk, user=ben, kind="attend", on=True)
    wish_interest_set(wish_id=wish.pk, user=vera, kind="volunteer", on=True)
    days = [datetime(2030, 3, d, 12, 0, tzinfo=AMS) for d in (11, 12, 13)]
    poll = poll_create(
        wish_id=wish.pk, actor=coordinator, options=[(d, d + timedelta(hours=1)) for d in days],
        format="brown_bag", location="Zaal 4",
    )  # fmt: skip
    options = list(poll.options.order_by("start"))
    poll_vote(poll_id=poll.pk, user=anna, answers={options[0].pk: "no", options[1].pk: "yes"})
    poll_vote(poll_id=poll.pk, user=ben, answers={options[0].pk: "maybe", options[1].pk: "yes"})
    poll_vote(poll_id=poll.pk, user=vera, answers={options[1].pk: "maybe", options[2].pk: "yes"})

    grid = poll_grid(poll)
    assert [(row["user"].name, row["answers"]) for row in grid["rows"]] == [
        ("Anna", ["no", "yes", ""]),
        ("Ben", ["maybe", "yes", ""]),
        ("Vera Volunteer", ["", "maybe", "yes"]),
    ]
    assert grid["winner"] == options[1]
    client.force_login(coordinator)
    page = client.get(f"/wishes/{wish.pk}/").content.decode()
    assert "Plan deze datum" in page

    # One step: the winner (the coordinator keeps the preselected date).
    response = client.post(f"/wishes/{wish.pk}/poll/schedule/", {"option": str(options[1].pk)})

    session = Session.objects.get(title="Brown bag Omgevingswet")
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/"
    assert (session.start, session.location, session.format) == (days[1], "Zaal 4", "brown_bag")
    assert list(session.hosts.values_list("email", flat=True)) == ["vera@example.org"]
    wish.refresh_from_db()
    assert (wish.state, wish.session_id) == (Wish.State.PLANNED, session.pk)

    deliver()
    notices = smtp.wait_for(2)
    assert sorted((m["To"], subject(m)) for m in notices) == [
        ("anna@example.org", "Nieuw in Python-gilde: Brown bag Omgevingswet"),
        ("ben@example.org", "New in Python-gilde: Brown bag Omgevingswet"),
    ]
    # The planner's new-session notice for the same people is the same row: nothing twice.
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)
    planned = reminders_plan()
    deliver()
    # The planner does announce the session (Vera, a member who did not wish for it, gets it),
    # but nobody gets a second notice.
    assert planned == 1
    smtp.wait_for(3)
    assert sorted(m["To"] for m in smtp.messages if "Omgevingswet" in subject(m)) == [
        "anna@example.org",
        "ben@example.org",
        "vera@example.org",
    ]

    # Anna answers the notice as usual: going sends the calendar invitation.
    client.force_login(anna)
    client.post(f"/sessions/{session.pk}/rsvp/", {"status": "going"})
    deliver()
    invitations = [
        m for m in smtp.wait_for(len(smtp.messages)) if m.get_content_type() == "multipart/mixed"
    ]
    assert [m["To"] for m in invitations] == ["anna@example.org"]
    calendar = next(p for p in invitations[0].walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    text = calendar.get_payload(decode=True).decode()
    assert "SUMMARY:Brown bag Omgevingswet" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20300312T120000" in text
