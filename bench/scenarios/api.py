"""The REST API's list of sessions: one page of 100 through the whole API (token, throttle,
cursor page, serializer, JSON, ETag) vs the same selector rendered to JSON by hand, in the same
run on the same data. The goal is a ratio of at most 1.5.

Data: ``scale`` × 100 communities and ``scale`` × 500 sessions with their RSVPs; the viewer
is a member of some communities (as listing's).
"""

import json
import random
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from api.tokens.services import api_token_create
from api.views.sessions import _listed
from bench.generators import make_communities, make_people, make_rsvps, make_sessions
from bench.measure import Context, Figure, count_queries, median_seconds

PAGE = 100
GOAL = 1.5


def _by_hand(session) -> dict:
    return {
        "id": session.pk,
        "community": session.community.slug if session.community else None,
        "festival": session.festival.slug if session.festival else None,
        "series": session.series_id,
        "format": session.format,
        "title": session.title,
        "description": session.description,
        "hosts": [host.pk for host in session.hosts.all()],
        "guest_speaker": session.guest_speaker,
        "start": timezone.localtime(session.start).isoformat(),
        "end": timezone.localtime(session.end).isoformat(),
        "timezone": session.timezone,
        "location": session.location,
        "online_url": session.online_url,
        "capacity": session.capacity,
        "online_capacity": session.online_capacity,
        "max_guests": session.max_guests,
        "members_only": session.members_only,
        "rsvp_deadline": session.rsvp_deadline.isoformat() if session.rsvp_deadline else None,
        "state": session.state,
        "cancel_reason": session.cancel_reason,
        "going_count": session.going_count,
        "my_status": session.my_status,
        "web_url": f"/sessions/{session.pk}/",
        "updated_at": timezone.localtime(session.updated_at).isoformat(),
    }


def run(context: Context) -> list[Figure]:
    rng = random.Random(context.seed + 19)
    people = make_people(500, rng=rng, prefix="api")
    viewer = people[0]
    communities = make_communities(100 * context.scale, rng=rng, people=people, viewer=viewer)
    sessions = make_sessions(
        500 * context.scale, rng=rng, communities=communities, now=timezone.now()
    )
    make_rsvps(rng=rng, sessions=sessions, people=people)
    secret = api_token_create(
        user=viewer,
        name="bench",
        scopes=["read"],
        expires_at=timezone.now() + timedelta(days=30),
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1")
    url = f"/api/v1/sessions/?page_size={PAGE}"

    def through_api() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]
        return response.content

    def by_hand() -> bytes:
        page = _listed(viewer).order_by("start", "id")[: PAGE + 1]
        rows = [_by_hand(session) for session in list(page)[:PAGE]]
        return json.dumps({"next": None, "previous": None, "results": rows}).encode()

    assert len(json.loads(through_api())["results"]) == PAGE
    api_ms = median_seconds(through_api, repeat=max(context.repeat, 7)) * 1000
    hand_ms = median_seconds(by_hand, repeat=max(context.repeat, 7)) * 1000
    api_queries = count_queries(through_api)
    hand_queries = count_queries(by_hand)
    ratio = api_ms / hand_ms
    return [
        Figure(
            "api.sessions_page_100",
            api_ms,
            hand_ms,
            "ms",
            note=(
                f"GET {url} vs the selector + json.dumps by hand; {api_queries} vs"
                f" {hand_queries} queries; goal ≤ {GOAL}× — {'met' if ratio <= GOAL else 'MISSED'}"
            ),
            details={
                "sessions": len(sessions),
                "api_queries": api_queries,
                "hand_queries": hand_queries,
                "goal_ratio": GOAL,
            },
        )
    ]
