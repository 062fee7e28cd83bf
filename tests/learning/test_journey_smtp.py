"""A journey with a buddy from start to completion, through the pages, with every mail it
causes delivered by the outbox to a real SMTP server (aiosmtpd on loopback). Time is moved
with time-machine; nothing waits."""

from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from learning.journeys.models import Journey
from learning.journeys.services import journey_reminders_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


def deliver(smtp, total: int) -> list[tuple[str, str]]:
    for token in outbox_claim_due():
        outbox_deliver_batch(lease_token=token)
    received = smtp.wait_for(total)
    return [
        (message["To"], str(make_header(decode_header(message["Subject"])))) for message in received
    ]


def test_a_journey_from_start_to_completion_with_its_reminders(client, team, smtp, time_machine):
    time_machine.move_to(datetime(2027, 2, 26, 10, tzinfo=UTC), tick=False)
    client.force_login(team.cora)
    response = client.post(
        "/journeys/templates/new/",
        {"title": "Welkom in Noord", "community": str(team.community.pk)},
    )
    template_url = response["Location"]
    client.post(
        template_url + "steps/",
        {"day_offset": "0", "kind": "meet", "title": "Koffie met je buddy", "person": team.bob.pk},
    )
    client.post(
        template_url + "steps/",
        {"day_offset": "2", "kind": "checklist", "title": "Werkplek", "details": "Laptop\nPas"},
    )
    client.post(
        template_url + "start/",
        {"newcomer": team.nina.pk, "buddy": team.bob.pk, "supervisor": team.sara.pk,
         "start_date": "2027-03-01"},
    )  # fmt: skip
    journey = Journey.objects.get()
    assert sorted(deliver(smtp, 3)) == [
        ("bob@example.org", "Inwerkroute “Welkom in Noord” voor Nina Nieuw"),
        ("nina@example.org", "Inwerkroute “Welkom in Noord” voor Nina Nieuw"),
        ("sara@example.org", "Onboarding journey “Welkom in Noord” for Nina Nieuw"),
    ]

    # Day 0, 08:57 in Amsterdam: the planner makes the 09:00 reminders; at 09:00 they go.
    time_machine.move_to(datetime(2027, 3, 1, 7, 57, tzinfo=UTC), tick=False)
    assert journey_reminders_plan() == 2
    time_machine.move_to(datetime(2027, 3, 1, 8, 0, tzinfo=UTC), tick=False)
    assert sorted(deliver(smtp, 5)[3:]) == [
        ("bob@example.org", "Volgende stap: Koffie met je buddy"),
        ("nina@example.org", "Volgende stap: Koffie met je buddy"),
    ]
    reminder = next(m for m in smtp.messages[3:] if m["To"] == "nina@example.org")
    plain = next(p for p in reminder.walk() if p.get_content_type() == "text/plain")
    assert "Vink het af als het gedaan is." in plain.get_payload(decode=True).decode()

    client.force_login(team.nina)
    first, second = journey.progress.order_by("due_date")
    client.post(f"/journeys/{journey.pk}/steps/{first.pk}/", {"done": "1"})

    # Day 2: only the open step is reminded, to the newcomer alone (it is no meeting).
    time_machine.move_to(datetime(2027, 3, 3, 7, 58, tzinfo=UTC), tick=False)
    assert journey_reminders_plan() == 1
    time_machine.move_to(datetime(2027, 3, 3, 8, 0, tzinfo=UTC), tick=False)
    assert deliver(smtp, 6)[5:] == [("nina@example.org", "Volgende stap: Werkplek")]

    client.force_login(team.sara)
    page = client.get(f"/journeys/{journey.pk}/").text
    assert "1 of 2 steps done" in page
    client.post(f"/journeys/{journey.pk}/steps/{second.pk}/", {"done": "1"})
    journey.refresh_from_db()
    assert journey.state == "completed"
    assert sorted(deliver(smtp, 9)[6:]) == [
        ("bob@example.org", "Inwerkroute “Welkom in Noord” afgerond"),
        ("nina@example.org", "Inwerkroute “Welkom in Noord” afgerond"),
        ("sara@example.org", "Journey “Welkom in Noord” complete"),
    ]
    assert journey_reminders_plan() == 0
