"""Feeds, the one-off download and /me/calendar/."""

from datetime import UTC, datetime, timedelta
from hashlib import sha256

import pytest
import recurring_ical_events
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from communities.models import User
from communities.services.memberships import membership_leave
from events.calendar import feeds
from events.calendar.services.subscriptions import feed_token_reset
from events.models import Rsvp, Session
from events.series.recurrence import Frequency, Recurrence
from events.series.services.scheduling import series_create
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_update
from tests.events.calendar.calendar_checks import check_calendar
from tests.factories import IntervisionGroupFactory, MembershipFactory, RsvpFactory, SessionFactory

pytestmark = pytest.mark.django_db

ICS = "text/calendar; charset=utf-8"


def personal_url(token: str) -> str:
    return f"/calendar/{token}.ics"


def expand(data: bytes, start: datetime, end: datetime) -> set[tuple]:
    """recurring-ical-events' view of a feed: (UID, start, end, STATUS) in UTC."""
    calendar = Calendar.from_ical(data)
    return {
        (
            str(occurrence["UID"]),
            occurrence.decoded("DTSTART").astimezone(UTC),
            occurrence.decoded("DTEND").astimezone(UTC),
            str(occurrence["STATUS"]),
        )
        for occurrence in recurring_ical_events.of(calendar).between(start, end)
    }


def database_view(sessions, *, waitlisted=()) -> set[tuple]:
    result = set()
    for session in sessions:
        session.refresh_from_db()
        if session.state == Session.State.CANCELLED:
            status = "CANCELLED"
        elif session.pk in waitlisted:
            status = "TENTATIVE"
        else:
            status = "CONFIRMED"
        # iCalendar times have whole seconds.
        start, end = (
            moment.astimezone(UTC).replace(microsecond=0) for moment in (session.start, session.end)
        )
        result.add((session.uid, start, end, status))
    return result


# --- tokens ------------------------------------------------------------------------------------


def test_feed_token_reset_stores_only_the_sha256_and_kills_the_old_url(client, member):
    first = feed_token_reset(user=member)
    assert len(first) == 43
    member.refresh_from_db()
    assert member.feed_token_hash == sha256(first.encode()).hexdigest()
    assert first not in member.feed_token_hash
    assert client.get(personal_url(first)).status_code == 200
    second = feed_token_reset(user=member)
    assert second != first
    assert client.get(personal_url(first)).status_code == 404
    assert client.get(personal_url(second)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "short",
        "A" * 42,
        "A" * 44,
        "A" * 42 + "!",
        "A" * 42 + "é",
        "A" * 42 + "%20",
        "A" * 43,  # right form, nobody's
        "",
        "../../etc/passwd",
        "A" * 5000,
    ],
)
def test_personal_feed_bad_token_is_404(client, member, token):
    feed_token_reset(user=member)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert client.get(f"/calendar/{token}/communities/python-gilde.ics").status_code == 404


def test_personal_feed_empty_hash_never_matches(client, member):
    assert member.feed_token_hash == ""
    assert client.get(personal_url("A" * 43)).status_code == 404


def test_personal_feed_deactivated_user_is_404(client, member):
    token = feed_token_reset(user=member)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(personal_url(token)).status_code == 404


# --- the personal feed -------------------------------------------------------------------------


def test_personal_feed_has_going_and_waitlisted_as_tentative_only(client, member, community):
    MembershipFactory(user=member, community=community)
    now = timezone.now()
    going = SessionFactory(community=community, title="Going, really; yes")
    waitlisted = SessionFactory(community=community, title="Waiting")
    declined = SessionFactory(community=community, title="Declined")
    maybe = SessionFactory(community=community, title="Maybe")
    too_old = SessionFactory(
        community=community, start=now - timedelta(days=100), end=now - timedelta(days=99)
    )
    too_far = SessionFactory(
        community=community, start=now + timedelta(days=400), end=now + timedelta(days=400, hours=1)
    )
    RsvpFactory(session=going, user=member)
    RsvpFactory(session=waitlisted, user=member, status=Rsvp.Status.WAITLISTED, position=1)
    RsvpFactory(session=declined, user=member, status=Rsvp.Status.DECLINED)
    RsvpFactory(session=maybe, user=member, status=Rsvp.Status.MAYBE)
    RsvpFactory(session=too_old, user=member)
    RsvpFactory(session=too_far, user=member)
    token = feed_token_reset(user=member)

    response = client.get(personal_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == ICS
    assert "Set-Cookie" not in response.headers
    assert response["Cache-Control"] == "private, max-age=3600"
    calendar = check_calendar(response.content)
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses == {going.uid: "CONFIRMED", waitlisted.uid: "TENTATIVE"}
    assert "SUMMARY:Going\\, really\\; yes\r\n" in response.content.decode()
    assert f"URL:{settings.SITE_URL}/sessions/{going.pk}/\r\n" in response.content.decode()
    assert str(calendar["X-WR-CALNAME"]) == "Kennisplein — mijn sessies"


def test_personal_feed_etag_and_last_modified_give_304(client, member, community):
    session = SessionFactory(community=community)
    RsvpFactory(session=session, user=member)
    token = feed_token_reset(user=member)
    first = client.get(personal_url(token))
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 42
    assert first["Last-Modified"]
    again = client.get(personal_url(token))
    assert again.content == first.content
    assert again["ETag"] == etag
    not_modified = client.get(personal_url(token), headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Last-Modified"] == first["Last-Modified"]
    assert "Set-Cookie" not in not_modified.headers
    assert "Set-Cookie" not in first.headers
    since = client.get(personal_url(token), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(personal_url(token), headers={"if-none-match": '"other"'}).status_code == 200
    Session.objects.filter(pk=session.pk).update(title="Changed", updated_at=timezone.now())
    changed = client.get(personal_url(token), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize("count", [1, 50])
def test_personal_feed_query_count_is_constant(client, member, community, count):
    MembershipFactory(user=member, community=community)
    for _ in range(count):
        RsvpFactory(session=SessionFactory(community=community), user=member)
    token = feed_token_reset(user=member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(personal_url(token))
    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == count
    # organisation settings, the token's person, the validators (with the latest change of an
    # answer), and (nothing kept yet) the sessions to build from
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_a_decline_is_a_change_for_if_modified_since_too(client, member, community, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    kept, dropped = SessionFactory(community=community), SessionFactory(community=community)
    RsvpFactory(session=kept, user=member)
    answer = RsvpFactory(session=dropped, user=member)
    token = feed_token_reset(user=member)
    first = client.get(personal_url(token))
    time_machine.shift(timedelta(minutes=5))
    answer.status = Rsvp.Status.DECLINED
    answer.save()

    since = client.get(personal_url(token), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 200
    assert since.content.count(b"BEGIN:VEVENT") == 1
    assert since["Last-Modified"] != first["Last-Modified"]
    assert (
        client.get(personal_url(token), headers={"if-none-match": first["ETag"]}).status_code == 200
    )


def test_the_304_path_builds_no_calendar(client, member, community, monkeypatch):
    RsvpFactory(session=SessionFactory(community=community), user=member)
    token = feed_token_reset(user=member)
    etag = client.get(personal_url(token))["ETag"]
    built = []
    real = feeds.build_publish_calendar
    monkeypatch.setattr(feeds, "build_publish_calendar", lambda **kw: built.append(1) or real(**kw))

    assert client.get(personal_url(token), headers={"if-none-match": etag}).status_code == 304
    assert built == []
    assert client.get(personal_url(token)).status_code == 200
    assert built == []  # the bytes kept under the ETag
    cache.clear()
    assert client.get(personal_url(token)).status_code == 200
    assert built == [1]


def test_personal_feed_expanded_gives_exactly_the_database_occurrences(
    client, member, coordinator, community
):
    MembershipFactory(user=member, community=community)
    now = timezone.now()
    start = (now + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    series = series_create(
        community=community,
        actor=coordinator,
        details=SessionDetails(
            title="Lean Coffee, weekly",
            format="meetup",
            start=start,
            end=start + timedelta(hours=1),
            location="Koffiehoek",
            capacity=10,
        ),
        recurrence=Recurrence(frequency=Frequency.WEEKLY, count=6),
    )
    occurrences = list(series.occurrences.order_by("start"))
    assert len(occurrences) == 6
    moved = occurrences[2]
    planned_start = moved.start
    session_update(
        session_id=moved.pk,
        actor=coordinator,
        details=SessionDetails(
            title=moved.title,
            format=moved.format,
            start=moved.start + timedelta(hours=5),
            end=moved.end + timedelta(hours=5),
            location="Elders",
            capacity=10,
        ),
    )
    session_cancel(session_id=occurrences[4].pk, actor=coordinator, reason="Ziek")
    single = SessionFactory(community=community, title="Eenmalig")
    waiting = SessionFactory(community=community, title="Vol")
    for occurrence in occurrences:
        RsvpFactory(session=occurrence, user=member)
    RsvpFactory(session=single, user=member)
    RsvpFactory(session=waiting, user=member, status=Rsvp.Status.WAITLISTED, position=1)
    token = feed_token_reset(user=member)

    personal = client.get(personal_url(token))
    window = (now - timedelta(days=92), now + timedelta(days=366))
    expected = database_view([*occurrences, single, waiting], waitlisted={waiting.pk})
    assert expand(check_calendar(personal.content).to_ical(), *window) == expected
    assert expand(personal.content, *window) == expected
    moved.refresh_from_db()
    assert moved.start == planned_start + timedelta(hours=5)
    assert moved.series_id == series.pk
    assert occurrences[4].state == Session.State.CANCELLED

    # The community feeds: everything of the community in the window, nothing tentative.
    community_view = database_view([*occurrences, single, waiting])
    public = client.get("/communities/python-gilde/calendar.ics")
    assert expand(check_calendar(public.content).to_ical(), *window) == community_view
    mine = client.get(f"/calendar/{token}/communities/python-gilde.ics")
    assert expand(check_calendar(mine.content).to_ical(), *window) == community_view


# --- community feeds ---------------------------------------------------------------------------


def test_public_community_feed_serves_without_cookies_and_private_is_404(
    client, community, private_community
):
    SessionFactory(community=community, title="Open")
    SessionFactory(community=private_community, title="Geheim")
    response = client.get("/communities/python-gilde/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == ICS
    assert b"SUMMARY:Open" in response.content
    assert client.get("/communities/security-champions/calendar.ics").status_code == 404
    assert client.get("/communities/no-such-thing/calendar.ics").status_code == 404


def test_member_community_feed_checks_membership_on_every_fetch(
    client, member, other_user, private_community
):
    MembershipFactory(user=member, community=private_community)
    SessionFactory(community=private_community, title="Geheim")
    token = feed_token_reset(user=member)
    outsider = feed_token_reset(user=other_user)
    url = f"/calendar/{token}/communities/security-champions.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert b"SUMMARY:Geheim" in response.content
    check_calendar(response.content)
    assert client.get(f"/calendar/{outsider}/communities/security-champions.ics").status_code == 404
    membership_leave(user=member, community=private_community)
    assert client.get(url).status_code == 404


def test_member_community_feed_intervision_hides_the_case(client, member, private_community):
    MembershipFactory(user=member, community=private_community)
    SessionFactory(
        community=private_community,
        format="intervision",
        title="Casus van Piet",
        description="Zijn vraag aan de groep",
        location="Kamer 3",
    )
    token = feed_token_reset(user=member)
    data = client.get(f"/calendar/{token}/communities/security-champions.ics").content
    assert "SUMMARY:Intervisie — Security Champions\r\n" in data.decode()
    assert b"Piet" not in data
    assert b"vraag" not in data
    assert b"LOCATION:Kamer 3\r\n" in data
    check_calendar(data)


# --- add to calendar, /me/calendar/ ------------------------------------------------------------


def test_session_ics_download_for_viewers_only(client, member, other_user, private_community):
    MembershipFactory(user=member, community=private_community)
    session = SessionFactory(community=private_community, title="Geheim")
    client.force_login(member)
    response = client.get(f"/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == ICS
    assert response["Content-Disposition"] == f'attachment; filename="session-{session.pk}.ics"'
    calendar = check_calendar(response.content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [session.uid]
    client.force_login(other_user)
    assert client.get(f"/sessions/{session.pk}/calendar.ics").status_code == 404


def test_my_calendar_page_shows_the_new_address_once_after_post(client, member, community):
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    page = client.get("/me/calendar/")
    assert page.status_code == 200
    assert "webcal://testserver" not in page.content.decode()
    made = client.post("/me/calendar/")
    assert made.status_code == 200
    member.refresh_from_db()
    html = made.content.decode()
    token = next(
        word.split("/calendar/")[1].removesuffix(".ics")
        for word in html.replace('"', " ").split()
        if word.startswith("webcal://") and word.endswith(".ics") and "/communities/" not in word
    )
    assert sha256(token.encode()).hexdigest() == member.feed_token_hash
    assert "https://calendar.google.com/calendar/r?cid=webcal://" in html
    assert f"/calendar/{token}/communities/python-gilde.ics" in html
    assert client.get(personal_url(token)).status_code == 200
    again = client.get("/me/calendar/").content.decode()
    assert token not in again
    assert "/communities/python-gilde/calendar.ics" in again


def test_my_calendar_feed_is_linked_from_me_and_community_page(client, member, community):
    client.force_login(member)
    assert 'href="/me/calendar/"' in client.get("/me/").content.decode()
    assert 'href="/me/calendar/"' in client.get("/communities/python-gilde/").content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_community_feeds_query_count_is_constant(client, member, community, count):
    MembershipFactory(user=member, community=community)
    for _ in range(count):
        SessionFactory(community=community)
    token = feed_token_reset(user=member)
    with CaptureQueriesContext(connection) as public:
        response = client.get("/communities/python-gilde/calendar.ics")
    assert response.content.count(b"BEGIN:VEVENT") == count
    with CaptureQueriesContext(connection) as mine:
        response = client.get(f"/calendar/{token}/communities/python-gilde.ics")
    assert response.content.count(b"BEGIN:VEVENT") == count
    # the validators, then (nothing kept yet) the sessions to build from; the member's feed
    # has the same bytes (same name, same sessions): served from what the first one kept
    assert (len(public), len(mine)) == (4, 4), [q["sql"] for q in [*public, *mine]]


def test_session_page_offers_the_download_and_web_calendar_links(client, member, community):
    session = SessionFactory(community=community, title="Koffie & code")
    client.force_login(member)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/sessions/{session.pk}/calendar.ics" download' in page
    assert (
        "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Koffie+%26+code"
        in page
    )
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in page


def test_web_calendar_links_of_intervision_show_only_the_group(client, member):
    group = IntervisionGroupFactory(name="Intervisie Noord", slug="iv-noord")
    MembershipFactory(user=member, community=group)
    session = SessionFactory(community=group, format="intervision", title="Casus: Jan",
                             description="Vertrouwelijk")  # fmt: skip
    client.force_login(member)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    google = page.split("https://calendar.google.com/", 1)[1].split('"', 1)[0]
    assert "Intervisie+Noord" in google
    assert "Casus" not in google and "Vertrouwelijk" not in google


# --- HEAD and the empty feed --------------------------------------------------------------------


def test_head_on_every_feed_answers_like_get_without_a_body(client, member, community):
    # Calendar apps probe a feed with HEAD before they subscribe.
    session = SessionFactory(community=community)
    RsvpFactory(session=session, user=member)
    MembershipFactory(user=member, community=community)
    token = feed_token_reset(user=member)
    for url in (
        personal_url(token),
        f"/calendar/{token}/communities/{community.slug}.ics",
        f"/communities/{community.slug}/calendar.ics",
    ):
        get = client.get(url)
        head = client.head(url)
        assert (get.status_code, head.status_code) == (200, 200), url
        assert head.content == b""
        assert int(head["Content-Length"]) == len(get.content)
        for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
            assert head[header] == get[header], (url, header)
        assert client.head(url, headers={"if-none-match": get["ETag"]}).status_code == 304


def test_an_empty_feed_is_a_valid_calendar_with_its_timezone(client, member):
    token = feed_token_reset(user=member)
    response = client.get(personal_url(token))
    assert response.status_code == 200
    calendar = check_calendar(response.content)  # icalendar, vobject, libical, literal zones
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE"]
    assert str(calendar.subcomponents[0]["TZID"]) == settings.TIME_ZONE
    assert (
        recurring_ical_events.of(calendar).between(
            datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
        )
        == []
    )
