"""The REST API: tokens and scopes, problem details, ETags, cursor pages, idempotency, and the
same rules as the pages (visibility, capacity and the waitlist)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken, IdempotencyKey
from api.tokens.services import api_token_revoke
from events.models import Rsvp, Session
from tests.api.conftest import make_token
from tests.factories import MembershipFactory, RsvpFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_without_a_token_the_answer_is_a_401_problem(api):
    response = api().get("/api/v1/sessions/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "type": "https://kennisplein.invalid/problems/not-authenticated",
        "title": "Unauthorized",
        "status": 401,
        "detail": "Authenticatiegegevens zijn niet opgegeven.",
    }


def test_token_is_stored_hashed_and_works_until_revoked(api, member):
    secret = make_token(member, ["read"])
    token = ApiToken.objects.get()
    assert secret.startswith("kp_") and len(secret) == 46
    assert secret not in (token.token_hash, token.prefix) and token.prefix == secret[:9]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/sessions/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    api_token_revoke(actor=member, token_id=token.pk)
    response = client.get("/api/v1/sessions/")
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "Dit token is ongeldig, verlopen of ingetrokken.",
    )


def test_expired_token_and_deactivated_person_are_refused(api, member):
    client = api()
    secret = make_token(member, ["read"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/sessions/").status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get("/api/v1/sessions/").status_code == 401


def test_read_scope_cannot_write(api, member, community):
    MembershipFactory(user=member, community=community)
    session = SessionFactory(community=community)
    response = api(member, ["read"]).put(
        f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "going"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/permission-denied")
    assert not Rsvp.objects.exists()


def test_browser_session_reads_but_does_not_write(client, member, community):
    session = SessionFactory(community=community)
    client.force_login(member)
    assert client.get(f"/api/v1/sessions/{session.pk}/").status_code == 200
    response = client.put(
        f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "going"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_session_detail_has_times_with_offset_and_stable_ids(api, member, community):
    start = timezone.datetime(2030, 7, 1, 10, 0, tzinfo=timezone.get_fixed_timezone(120))
    session = SessionFactory(community=community, start=start, end=start + timedelta(hours=1))
    body = api(member).get(f"/api/v1/sessions/{session.pk}/").json()
    assert body["id"] == session.pk
    assert body["start"] == "2030-07-01T10:00:00+02:00"
    assert body["end"] == "2030-07-01T11:00:00+02:00"
    assert body["community"] == "python-gilde"
    assert body["web_url"] == f"/sessions/{session.pk}/"


def test_private_session_is_404_for_non_members_as_on_the_web(api, member, private_community):
    session = SessionFactory(community=private_community)
    outsider = UserFactory()
    response = api(outsider).get(f"/api/v1/sessions/{session.pk}/")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")
    MembershipFactory(user=member, community=private_community)
    assert api(member).get(f"/api/v1/sessions/{session.pk}/").status_code == 200


def test_etag_answers_304_until_the_resource_changes(api, member, community):
    session = SessionFactory(community=community)
    client = api(member)
    first = client.get(f"/api/v1/sessions/{session.pk}/")
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    again = client.get(f"/api/v1/sessions/{session.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    Session.objects.filter(pk=session.pk).update(title="Changed")
    changed = client.get(f"/api/v1/sessions/{session.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    listed = client.get("/api/v1/sessions/")
    assert client.get("/api/v1/sessions/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304


def test_cursor_pages_walk_every_session_once_in_start_order(api, member, community):
    now = timezone.now()
    made = [
        SessionFactory(community=community, start=now + timedelta(days=day)).pk
        for day in (5, 1, 3, 2, 4)
    ]
    client = api(member)
    seen, url = [], "/api/v1/sessions/?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
    assert seen == [made[1], made[3], made[2], made[4], made[0]]


def test_session_list_filters(api, member, community, private_community):
    now = timezone.now()
    early = SessionFactory(community=community, start=now + timedelta(days=1))
    late = SessionFactory(
        community=community, start=now + timedelta(days=9), format=Session.Format.WORKSHOP
    )
    SessionFactory(community=private_community, start=now + timedelta(days=2))
    client = api(member)

    def ids(query):
        return [item["id"] for item in client.get(f"/api/v1/sessions/?{query}").json()["results"]]

    assert ids("") == [early.pk, late.pk]
    assert ids("format=workshop") == [late.pk]
    after = (now + timedelta(days=5)).isoformat().replace("+", "%2B")
    assert ids(f"start_after={after}") == [late.pk]
    assert ids(f"start_before={after}") == [early.pk]
    assert ids("community=security-champions") == []
    Session.objects.filter(pk=early.pk).update(updated_at=now + timedelta(hours=1))
    since = (now + timedelta(minutes=30)).isoformat().replace("+", "%2B")
    assert ids(f"updated_since={since}") == [early.pk]
    bad = client.get("/api/v1/sessions/?start_after=yesterday")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["start_after"]


def test_session_list_makes_the_same_queries_for_1_and_30(api, member, community):
    client = api(member)
    client.get("/api/v1/communities/")  # the token's last use is written once a minute
    SessionFactory(community=community, hosts=[member])
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/sessions/").json()["results"]) == 1
    for _ in range(29):
        SessionFactory(community=community, hosts=[member])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/sessions/").json()["results"]) == 30
    assert len(many) == len(one)


def test_rsvp_through_the_api_uses_capacity_and_waitlist(api, community):
    session = SessionFactory(community=community, capacity=1)
    first, second = UserFactory(), UserFactory()
    answer = api(first).put(
        f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "going"}, format="json"
    )
    assert (answer.status_code, answer.json()["status"]) == (200, "going")
    waiting = api(second).put(
        f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "going"}, format="json"
    )
    assert (waiting.json()["status"], waiting.json()["waitlist_position"]) == ("waitlisted", 1)
    api(first).put(f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "declined"}, format="json")
    mine = api(second).get(f"/api/v1/sessions/{session.pk}/rsvp/").json()
    assert (mine["status"], mine["waitlist_position"]) == ("going", None)


def test_a_refused_rsvp_is_a_422_problem_and_changes_nothing(api, member, community):
    past = timezone.now() - timedelta(days=1)
    session = SessionFactory(community=community, start=past, end=past + timedelta(hours=1))
    response = api(member).put(
        f"/api/v1/sessions/{session.pk}/rsvp/", {"status": "going"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["type"] == "https://kennisplein.invalid/problems/past"
    assert not Rsvp.objects.exists()


def test_idempotency_key_replays_the_first_answer(api, community):
    session = SessionFactory(community=community, capacity=5)
    person = UserFactory()
    client = api(person)
    headers = {"HTTP_IDEMPOTENCY_KEY": "answer-1"}
    url = f"/api/v1/sessions/{session.pk}/rsvp/"
    first = client.put(url, {"status": "going", "guests": 0}, format="json", **headers)
    Rsvp.objects.filter(session=session).update(status="maybe")  # a change made elsewhere
    again = client.put(url, {"status": "going", "guests": 0}, format="json", **headers)
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Rsvp.objects.get().status == "maybe"  # the repeat changed nothing
    other = client.put(url, {"status": "declined"}, format="json", **headers)
    assert (other.status_code, other.json()["type"]) == (
        422,
        "https://kennisplein.invalid/problems/idempotency-key-reused",
    )
    assert IdempotencyKey.objects.count() == 1


def test_coordinator_creates_updates_and_cancels_a_session(api, coordinator, community, member):
    client = api(coordinator)
    start = timezone.now() + timedelta(days=3)
    created = client.post(
        "/api/v1/sessions/",
        {
            "community": community.slug,
            "title": "API-sessie",
            "format": "workshop",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "location": "Zaal 1",
            "capacity": 12,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    session_id = created.json()["id"]
    assert (created.json()["title"], created.json()["capacity"]) == ("API-sessie", 12)
    updated = client.patch(f"/api/v1/sessions/{session_id}/", {"title": "Nieuw"}, format="json")
    assert (updated.status_code, updated.json()["title"]) == (200, "Nieuw")
    assert Session.objects.get(pk=session_id).sequence == 1
    # A member may not manage it: 404, as the web's edit page.
    refused = api(member).patch(f"/api/v1/sessions/{session_id}/", {"title": "x"}, format="json")
    assert refused.status_code == 404
    cancelled = client.post(
        f"/api/v1/sessions/{session_id}/cancel/", {"reason": "ziek"}, format="json"
    )
    assert (cancelled.json()["state"], cancelled.json()["cancel_reason"]) == ("cancelled", "ziek")


def test_members_list_is_for_coordinators_only(api, coordinator, member, community):
    MembershipFactory(user=member, community=community)
    assert api(member).get("/api/v1/communities/python-gilde/members/").status_code == 404
    body = api(coordinator).get("/api/v1/communities/python-gilde/members/").json()
    assert sorted(item["email"] for item in body["results"]) == [
        "coordinator@example.org",
        "member@example.org",
    ]


def test_join_and_leave_an_open_community(api, member, community):
    client = api(member)
    joined = client.post("/api/v1/communities/python-gilde/join/")
    assert (joined.status_code, joined.json()["state"]) == (200, "active")
    left = client.post("/api/v1/communities/python-gilde/leave/")
    assert (left.status_code, left.json()["state"]) == (200, "left")


def test_people_and_insights_are_staff_only(api, staff, member):
    assert api(member).get("/api/v1/people/").status_code == 404
    assert api(member).get("/api/v1/insights/").status_code == 404
    people = api(staff).get("/api/v1/people/?status=deactivated").json()["results"]
    assert people == []
    member.is_active = False
    member.save(update_fields=["is_active"])
    people = api(staff).get("/api/v1/people/?status=deactivated").json()["results"]
    assert [p["email"] for p in people] == ["member@example.org"]
    assert people[0]["state"] == "deactivated"
    insights = api(staff).get("/api/v1/insights/?months=3").json()
    assert insights["months"] == 3


def test_my_agenda_and_rsvps(api, member, community):
    going = SessionFactory(community=community)
    RsvpFactory(session=going, user=member, status="going")
    SessionFactory(community=community, start=timezone.now() + timedelta(days=30))
    agenda = api(member).get("/api/v1/me/agenda/").json()["results"]
    assert [item["my_status"] for item in agenda] == ["going"]
    rsvps = api(member).get("/api/v1/me/rsvps/").json()["results"]
    assert [(r["session"], r["status"]) for r in rsvps] == [(going.pk, "going")]


def test_docs_are_served_from_vendored_files(client, member):
    client.force_login(member)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
