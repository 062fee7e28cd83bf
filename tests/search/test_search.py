"""The global search (/search/?q=): full text in Dutch and English, a few of each kind with a
"more" link to the kind's own page, and the same number of queries for 1 and for 20 matches of
every kind. Who sees what is in the permission matrix and the membership canary."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowledge.services.questions import question_ask
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.django_db


def make(n: int, *, community, start: int = 0) -> None:
    """``n`` of every kind on zeppelins."""
    past = timezone.now() - timedelta(days=2)
    for i in range(start, start + n):
        CommunityFactory(name=f"Zeppelinclub {i:02d}", slug=f"zeppelinclub-{i:02d}")
        SessionFactory(community=community, title=f"Zeppelinvaart {i:02d}")
        session = SessionFactory(community=community, start=past, end=past + timedelta(hours=1))
        author = UserFactory(display_name=f"Zeppelinkenner {i:02d}")
        opt_in(author, "luchtschepen")
        TakeawayFactory(
            session=session, author=author, owner=author, title=f"Zeppelin les {i:02d}",
            visibility="organisation", review_due=timezone.localdate() + timedelta(days=100),
        )  # fmt: skip
        question_ask(author=author, title=f"Zeppelinvraag {i:02d}", community=community)


@pytest.fixture
def member(member):
    """The member reads English (the organisation's default language is Dutch)."""
    member.language = "en"
    member.save(update_fields=["language"])
    return member


def get(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_same_number_of_queries_for_one_and_for_twenty_of_each_kind(client, member, community):
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    make(1, community=community)
    one, page = get(client, "/search/?q=zeppelin")
    for text in ("Zeppelinclub 00", "Zeppelinvaart 00", "Zeppelin les 00", "Zeppelinvraag 00",
                 "Zeppelinkenner 00"):  # fmt: skip
        assert text in page
    assert "More communities" not in page
    make(19, community=community, start=1)
    twenty, page = get(client, "/search/?q=zeppelin")
    assert one == twenty
    # Five of each, then a link to the kind's own page.
    assert [page.count(f"Zeppelinclub {i:02d}") for i in range(6)] == [1, 1, 1, 1, 1, 0]
    assert [page.count(f"Zeppelinvaart {i:02d}") for i in range(6)] == [1, 1, 1, 1, 1, 0]
    for link in (
        '<a href="/communities/?q=zeppelin">More communities</a>',
        '<a href="/sessions/">All upcoming sessions</a>',
        '<a href="/takeaways/?q=zeppelin">More takeaways</a>',
        '<a href="/questions/?q=zeppelin">More questions</a>',
        '<a href="/experts/?q=zeppelin">More colleagues in “who knows what”</a>',
    ):
        assert link in page


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Vergaderingen die werken", "vergadering"),  # Dutch stemming
        ("Better meetings", "meeting"),  # English stemming
        ("Omgevingswet in de praktijk", "omgev"),  # a prefix, as one types
    ],
)
def test_communities_and_sessions_match_in_dutch_and_english(client, member, title, query):
    CommunityFactory(name="Kring", slug="kring", purpose=title)
    SessionFactory(community=None, title=f"Sessie: {title}")
    client.force_login(member)
    _, page = get(client, f"/search/?q={query}")
    assert '<a href="/communities/kring/">Kring</a>' in page
    assert f"Sessie: {title}" in page


def test_every_word_must_match_and_past_sessions_are_left_out(client, member):
    SessionFactory(community=None, title="Zeppelin bouwen")
    SessionFactory(community=None, title="Zeppelin vliegen")
    past = timezone.now() - timedelta(days=3)
    SessionFactory(
        community=None, title="Zeppelin vroeger", start=past, end=past + timedelta(hours=1)
    )
    client.force_login(member)
    _, page = get(client, "/search/?q=zeppelin+bouw")
    assert "Zeppelin bouwen" in page
    assert "Zeppelin vliegen" not in page
    _, page = get(client, "/search/?q=zeppelin")
    assert "Zeppelin vliegen" in page
    assert "Zeppelin vroeger" not in page


def test_nothing_found_says_so_and_the_header_has_the_search_box(client, member):
    client.force_login(member)
    _, page = get(client, "/search/?q=xyzzy")
    assert "Nothing matches “xyzzy”." in page
    assert 'role="search"' in page
    assert '<label for="nav-search-q" class="visually-hidden">Search</label>' in page
