"""Calendar replies read from a real IMAP server: Debian's dovecot on loopback."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from events.calendar.inbound.imap import (
    imap_poll,
    imap_settings,
    oauth_access_token,
    xoauth2_string,
)
from events.calendar.inbound.tags import reply_address
from events.models import CalendarReply, Rsvp
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_create
from events.tasks import inbound_imap_poll
from tests.events.calendar.reply_mail import gmail, outlook_desktop
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)


@pytest.fixture
def invited(community, coordinator, time_machine):
    time_machine.move_to(datetime(2026, 2, 15, 9, 0, tzinfo=UTC), tick=False)
    anna = UserFactory(email="anna@example.org", display_name="Anna")
    MembershipFactory(user=anna, community=community)
    session = session_create(
        community=community, actor=coordinator,
        details=SessionDetails(title="Type hints", format="brown_bag", start=START,
                               end=START + timedelta(hours=1), location="Zaal 4"),
    )  # fmt: skip
    rsvp_set(session_id=session.pk, user=anna, status="going")
    return session, anna


def folder_uids(client, folder: str) -> list[bytes]:
    status, _ = client.select(folder)
    assert status == "OK"
    return client.uid("SEARCH", None, "ALL")[1][0].split()


def test_the_poll_applies_a_reply_and_moves_the_mail(imap_server, invited, settings):
    session, anna = invited
    settings.INBOUND_IMAP_URL = imap_server.url
    settings.INBOUND_IMAP_DONE_FOLDER = "Kennisplein"
    address = reply_address(user_id=anna.pk, uid=session.uid)
    client = imap_server.client()
    for raw in (
        outlook_desktop(to=address, sender=anna.email, uid=session.uid, attendee=anna.email,
                        partstat="DECLINED", sequence=0, organizer=address),
        b"From: someone@example.org\r\nSubject: out of office\r\n\r\nI am away.\r\n",
    ):  # fmt: skip
        assert client.append("INBOX", None, None, raw)[0] == "OK"
    assert len(folder_uids(client, "INBOX")) == 2

    assert inbound_imap_poll() == 2

    assert Rsvp.objects.get(session=session, user=anna).status == "declined"
    assert sorted(CalendarReply.objects.values_list("outcome", "reason")) == [
        ("applied", "declined"),
        ("rejected", "no calendar in the message"),
    ]
    client = imap_server.client()
    assert folder_uids(client, "INBOX") == []
    assert len(folder_uids(client, "Kennisplein")) == 2
    # A second poll finds nothing left.
    assert imap_poll() == 0


def test_a_mail_read_twice_is_applied_once(imap_server, invited, settings):
    session, anna = invited
    settings.INBOUND_IMAP_URL = imap_server.url
    address = reply_address(user_id=anna.pk, uid=session.uid)
    raw = gmail(to=address, sender=anna.email, uid=session.uid, attendee=anna.email,
                partstat="DECLINED", sequence=0, organizer=address)  # fmt: skip
    client = imap_server.client()
    client.append("INBOX", None, None, raw)
    client.append("INBOX", None, None, raw)  # e.g. the poll crashed before moving it

    assert imap_poll() == 2
    assert list(CalendarReply.objects.values_list("outcome", flat=True)) == ["applied"]


def test_a_wrong_password_is_logged_not_raised(imap_server, settings, caplog):
    settings.INBOUND_IMAP_URL = imap_server.url.replace(imap_server.password, "wrong")
    assert inbound_imap_poll() == 0
    assert "imap poll failed" in caplog.text
    assert "wrong" not in caplog.text


def test_imap_settings_and_the_xoauth2_string():
    config = imap_settings("imaps://kp%40example.org@outlook.office365.com/INBOX?auth=xoauth2")
    assert (config.host, config.port, config.ssl, config.user, config.folder, config.xoauth2) == (
        "outlook.office365.com",
        993,
        True,
        "kp@example.org",
        "INBOX",
        True,
    )
    assert xoauth2_string("kp@example.org", "tok") == (
        b"user=kp@example.org\x01auth=Bearer tok\x01\x01"
    )
    with pytest.raises(ValueError, match="imap://"):
        imap_settings("pop3://x@y/INBOX")


def test_the_oauth_token_comes_from_the_client_credentials_flow(settings):
    """A real HTTP token endpoint on loopback, as Microsoft's and Google's work."""

    seen = {}

    class TokenEndpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            seen.update(parse_qs(self.rfile.read(length).decode()))
            body = json.dumps({"access_token": "eyJ-token", "token_type": "Bearer"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.INBOUND_OAUTH_TOKEN_URL = f"http://127.0.0.1:{server.server_port}/token"
    settings.INBOUND_OAUTH_CLIENT_ID = "client-1"
    settings.INBOUND_OAUTH_CLIENT_SECRET = "s3cret"
    settings.INBOUND_OAUTH_SCOPE = "https://outlook.office365.com/.default"
    try:
        assert oauth_access_token() == "eyJ-token"
    finally:
        thread.join(5)
        server.server_close()
    assert seen == {
        "grant_type": ["client_credentials"],
        "client_id": ["client-1"],
        "client_secret": ["s3cret"],
        "scope": ["https://outlook.office365.com/.default"],
    }
