"""The answer links in invitation mail: one button, only POST answers, 404 otherwise."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from communities.mail.models import OutboxMessage
from events.calendar.services.invitation_mail import RSVP_LINK_SALT, rsvp_link_token
from events.models import Rsvp, SeriesRsvp
from events.series.recurrence import Recurrence
from events.series.services.scheduling import series_create
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def client(client):
    client.cookies["kp_language"] = "en"
    return client


def details(**changes):
    fields = {"title": "Type hints", "format": "brown_bag", "start": START,
              "end": START + timedelta(hours=1), "location": "Zaal 4"}  # fmt: skip
    return SessionDetails(**{**fields, **changes})


@pytest.fixture
def session(community, coordinator, member):
    MembershipFactory(user=member, community=community)
    return session_create(community=community, actor=coordinator, details=details())


def link(user, answer, **target) -> str:
    return f"/rsvp/{rsvp_link_token(user=user, answer=answer, **target)}/"


def status(session, user):
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    return rsvp.status if rsvp else None


def test_get_shows_one_button_and_changes_nothing(client, session, member):
    response = client.get(link(member, "going", session=session))
    page = response.content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert response.status_code == 200
    assert main.count("<button") == 1
    assert main.count('<form method="post">') == 1
    assert "Yes, I'm going" in main
    assert status(session, member) is None
    assert OutboxMessage.objects.count() == 0


def test_post_answers_for_the_person_of_the_link_without_signing_in(client, session, member):
    response = client.post(link(member, "going", session=session))
    assert response.status_code == 200
    assert "your answer is saved" in response.content.decode()
    assert status(session, member) == "going"
    assert OutboxMessage.objects.get().calendar_method == "REQUEST"

    response = client.post(link(member, "declined", session=session))
    assert status(session, member) == "declined"
    assert list(OutboxMessage.objects.order_by("id").values_list("calendar_method", flat=True)) == [
        "REQUEST",
        "CANCEL",
    ]


def test_the_links_in_the_invitation_open_this_page(client, session, member):
    rsvp_set(session_id=session.pk, user=member, status="declined")
    rsvp_set(session_id=session.pk, user=member, status="going")
    body = OutboxMessage.objects.get(calendar_method="REQUEST").body_text
    going, declined = [line.split()[-1] for line in body.splitlines() if "/rsvp/" in line]
    response = client.post(declined.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert status(session, member) == "declined"
    assert client.get(going.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_a_refusal_is_shown_and_changes_nothing(client, session, member, coordinator):

    session_cancel(session_id=session.pk, actor=coordinator, reason="")
    response = client.post(link(member, "going", session=session))
    assert response.status_code == 200
    assert "This session has been cancelled." in response.content.decode()
    assert status(session, member) is None


def test_series_links_answer_the_whole_series(client, community, coordinator, member):
    MembershipFactory(user=member, community=community)
    series = series_create(
        community=community, actor=coordinator, details=details(title="Lean Coffee"),
        recurrence=Recurrence(frequency="weekly", count=3),
    )  # fmt: skip
    client.post(link(member, "going", series=series))
    assert SeriesRsvp.objects.filter(series=series, user=member).count() == 1
    assert Rsvp.objects.filter(user=member, status="going").count() == 3
    assert OutboxMessage.objects.get().calendar_method == "REQUEST"


@pytest.mark.parametrize(
    "payload",
    [
        {"u": 1, "s": 1, "a": "maybe"},  # not an answer a link gives
        {"u": 999999, "s": 1, "a": "going"},  # nobody
        ["not", "a", "dict"],
    ],
)
def test_well_signed_but_wrong_tokens_are_404(client, session, payload):
    token = signing.dumps(payload, salt=RSVP_LINK_SALT)
    assert client.get(f"/rsvp/{token}/").status_code == 404
    assert client.post(f"/rsvp/{token}/").status_code == 404


def test_forged_expired_and_foreign_tokens_are_404(client, session, member, private_community,
                                                   coordinator, time_machine):  # fmt: skip
    good = link(member, "going", session=session)
    assert client.get(good[:-3] + "xx/").status_code == 404
    # Signed for another purpose (another salt) is not an RSVP link.
    other = signing.dumps({"u": member.pk, "s": session.pk, "a": "going"}, salt="other")
    assert client.get(f"/rsvp/{other}/").status_code == 404
    # A private session the person may not see.
    hidden = session_create(community=private_community, actor=coordinator, details=details())
    assert client.post(link(member, "going", session=hidden)).status_code == 404
    assert status(hidden, member) is None
    time_machine.move_to(NOW + timedelta(days=401), tick=False)
    assert client.get(good).status_code == 404
