"""What operators see of a mail server that is not answering: the staff outbox page and
manage.py outbox_status (the /healthz part is in tests/communities/health/)."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from communities.mail.checks import SESSION_STARTED
from communities.mail.circuit import outbox_circuit_close, outbox_circuit_trip
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 12, 3, 8, 15, tzinfo=UTC)  # 09:15 in Amsterdam
NOW = OPENED + timedelta(hours=3)


@pytest.fixture
def outage():
    with time_machine.travel(OPENED, tick=False):
        outbox_circuit_trip(error=ConnectionRefusedError(111, "Connection refused"))
    OutboxMessageFactory.create_batch(3, due_at=OPENED + timedelta(minutes=5))
    OutboxMessageFactory(due_at=NOW + timedelta(hours=1))  # not due yet
    OutboxMessageFactory(
        kind="reminder_before", state="skipped", skip_reason=SESSION_STARTED, due_at=OPENED
    )
    OutboxMessageFactory(kind="reminder_before", state="skipped", due_at=OPENED)
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "nl",
            [
                "Sinds 3 december 2026 09:15 antwoordt de mailserver niet.",
                "3 berichten worden vastgehouden tot hij antwoordt",
                "Laatste antwoord: ConnectionRefusedError: [Errno 111] Connection refused",
                "Het oudste wachtende bericht is 2\xa0uur, 55\xa0minuten te laat (was aan de "
                "beurt om 3 december 2026 09:20).",
                "Om 09:15 wordt het opnieuw geprobeerd met één bericht.",
                "De bijeenkomst was al begonnen.",
            ],
        ),
        (
            "en",
            [
                "Since Dec. 3, 2026, 9:15 a.m. the mail server is not answering.",
                "3 messages are held until it answers; nothing is lost or counted as failed.",
                "Last answer: ConnectionRefusedError: [Errno 111] Connection refused",
                "The oldest message waiting is 2\xa0hours, 55\xa0minutes late (due Dec. 3, "
                "2026, 9:20 a.m.).",
                "At 9:15 a.m. one message is tried again.",
                "The session had already started.",
            ],
        ),
    ],
)
def test_outbox_page_says_the_mail_server_is_not_answering_with_counts(
    client, staff, outage, language, texts
):
    staff.language = language
    staff.save()
    client.force_login(staff)
    response = client.get("/organisation/outbox/", headers={"accept-language": language})
    html = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in html, text
    reasons = [(r.kind, r.reason, r.count) for r in response.context["skip_reasons"]]
    assert reasons == [("reminder_before", "", 1), ("reminder_before", SESSION_STARTED, 1)]


def test_outbox_page_says_nothing_about_the_server_when_it_answers(client, staff):
    client.force_login(staff)
    html = client.get("/organisation/outbox/").content.decode()
    assert 'id="mail-server-down"' not in html


def test_outbox_status_command_reports_the_circuit_and_the_lag(outage):
    out = io.StringIO()
    call_command("outbox_status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "mail server: NOT ANSWERING since 2026-12-03T08:15:00+00:00 (circuit open, 0 probes, "
        "next 2026-12-03T08:15:30+00:00): ConnectionRefusedError: [Errno 111] Connection refused"
    )
    assert lines[2] == (
        "due now 3 (oldest 2026-12-03T08:20:00+00:00, lag 10500s)  expired leases 0"
    )
    assert "  reminder_before 1x: The session had already started." in lines
    assert "  reminder_before 1x: -" in lines

    outbox_circuit_close()
    out = io.StringIO()
    call_command("outbox_status", stdout=out)
    assert out.getvalue().splitlines()[0] == "mail server: answering (circuit closed)"
