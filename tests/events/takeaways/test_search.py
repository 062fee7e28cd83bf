"""Full-text search of takeaways on PostgreSQL: Dutch and English stemming, prefix matching,
ranking (title above body, fresh above stale); and the SQLite fallback's behaviour.

These tests need PostgreSQL: with CI=true they fail without it (tests/services.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Takeaway
from events.takeaways.selectors.search import TakeawayFilters, search_words, takeaway_search
from tests.factories import SessionFactory, TakeawayFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(community):
    session = SessionFactory(community=community)
    author = UserFactory()

    def write(title, body="", *, review_in_days=100, tags_text=""):
        return TakeawayFactory(
            session=session,
            author=author,
            owner=author,
            title=title,
            body=body,
            tags_text=tags_text,
            visibility="organisation",
            review_due=timezone.localdate() + timedelta(days=review_in_days),
        )

    return write


def titles(user, q, **filters):
    return [t.title for t in takeaway_search(user, TakeawayFilters(q=q, **filters))]


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("vergaderingen", "Kortere vergadering met een vaste agenda", "Dutch"),
        ("vergadering", "Minder vergaderingen, meer focus", "Dutch"),
        ("testing", "We tested the migration on a copy first", "English"),
        ("tested", "Testing in production is not a plan", "English"),
        ("kennisd", "Kennisdeling begint bij een vraag", "prefix"),
        ("deploy", "Deployments on Friday need a rollback plan", "prefix"),
    ],
)
def test_search_stems_and_matches_prefixes(postgres, write, member, query, text, language):
    write(text)
    write("Iets heel anders over koffie")

    assert titles(member, query) == [text], language


def test_search_needs_every_word(postgres, write, member):
    write("Pair programming helps onboarding")
    write("Pair of shoes")

    assert titles(member, "pair onboard") == ["Pair programming helps onboarding"]


def test_search_ranks_title_matches_above_body_matches(postgres, write, member):
    write("Koffie", "Over toegankelijkheid gesproken bij de koffie")
    write("Toegankelijkheid van formulieren", "Labels bij elk veld")

    assert titles(member, "toegankelijkheid") == [
        "Toegankelijkheid van formulieren",
        "Koffie",
    ]


def test_search_ranks_fresh_above_stale_even_when_stale_matches_better(postgres, write, member):
    write("Rollback rollback rollback plan", review_in_days=-1)
    write("Rollback plan", "ook voor de database", review_in_days=30)

    found = takeaway_search(member, TakeawayFilters(q="rollback"))

    assert [(t.title, t.freshness) for t in found] == [
        ("Rollback plan", 0),
        ("Rollback rollback rollback plan", 1),
    ]


def test_search_finds_tags_and_ignores_punctuation(postgres, write, member):
    write("Kleine commits", tags_text="git review")

    assert titles(member, "git") == ["Kleine commits"]
    assert titles(member, "git & ! | :* (review)") == ["Kleine commits"]
    assert titles(member, "'; DROP TABLE events_takeaway; --") == []
    assert Takeaway.objects.count() == 1


def test_search_words_keep_letters_and_digits_only():
    assert search_words("Één, twee & 'drie'!? ISO-27001") == ["één", "twee", "drie", "iso", "27001"]
    assert search_words(" ".join(f"w{n}" for n in range(20))) == [f"w{n}" for n in range(8)]


def test_sqlite_fallback_matches_substrings_case_insensitively(write, member, settings):
    """The fallback runs on whatever database the suite uses when it is not PostgreSQL; here it
    is forced by asking the selector's SQLite branch through a vendor switch."""

    write("Kennisdeling begint bij een vraag")
    write("Iets anders")
    vendor = connection.vendor
    try:
        connection.vendor = "sqlite"
        found = titles(member, "KENNISD vraag")
    finally:
        connection.vendor = vendor

    assert found == ["Kennisdeling begint bij een vraag"]
