"""Knowledge articles: versions with authors, freshness and reviews (ambassadors too), files
checked by their content and served only to readers, search, erasure, and the ambassadors'
welcome through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.services.accounts import account_erase
from events.festivals.services.day import festival_pick
from events.festivals.services.stands import stand_create, stand_material_add, stand_time_add
from events.festivals.stands import my_leermarkt_material
from learning.ambassadors.models import Welcome
from learning.ambassadors.services import newcomer_welcome
from learning.articles.models import Article, ArticleVersion
from learning.articles.selectors import ArticleFilters, article_search, version_diff
from learning.articles.services import (
    article_archive,
    article_coauthor_add,
    article_create,
    article_file_add,
    article_review,
    article_sessions_set,
    article_update,
)
from learning.journeys.services import journey_step_add, journey_template_create
from tests.events.festivals.festival_helpers import at, make_festival
from tests.factories import MembershipFactory, SessionFactory, UserFactory
from tests.learning.articles_matrix_world import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def guild(community, coordinator, member):
    MembershipFactory(user=member, community=community)
    return community


def test_article_every_save_is_a_version_with_its_author(guild, member, coordinator):
    article = article_create(author=member, community=guild, title="Releasen", body="1. Tag")
    article_update(
        article_id=article.pk, user=coordinator, title="Releasen", body="1. Tag\n2. Push",
        kind="howto", review_months=12, note="push erbij",
    )  # fmt: skip
    article_update(
        article_id=article.pk,
        user=coordinator,
        title="Releasen",
        body="1. Tag\n2. Push",
        kind="howto",
        review_months=12,
    )  # fmt: skip  -- the same text: no new version
    rows = list(ArticleVersion.objects.filter(article=article).order_by("number"))
    assert [(v.number, v.author, v.note) for v in rows] == [
        (1, member, ""),
        (2, coordinator, "push erbij"),
    ]
    article.refresh_from_db()
    assert article.version == 2
    assert version_diff(article, old=1, new=2) == [
        ("hunk", "@@ -2,2 +2,3 @@"),
        ("same", ""),
        ("same", "1. Tag"),
        ("add", "2. Push"),
    ]


def test_article_only_editors_edit(guild, member, other_user):
    article = article_create(author=member, community=guild, title="Releasen")
    MembershipFactory(user=other_user, community=guild)
    with pytest.raises(DomainError):
        article_update(
            article_id=article.pk, user=other_user, title="X", body="", kind="howto",
            review_months=12,
        )  # fmt: skip
    article_coauthor_add(article_id=article.pk, user=member, email=other_user.email)
    article_update(
        article_id=article.pk, user=other_user, title="X", body="", kind="howto", review_months=12
    )
    assert Article.objects.get(pk=article.pk).title == "X"


def test_ambassador_reviews_a_due_article_and_the_date_moves_on(guild, member):
    ambassador = UserFactory()
    MembershipFactory(user=ambassador, community=guild, role="ambassador")
    article = article_create(author=member, community=guild, title="Releasen", review_months=6)
    Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate())
    assert Article.objects.get(pk=article.pk).status == "review_due"
    article_review(article_id=article.pk, user=ambassador)
    article.refresh_from_db()
    assert article.status == "published"
    assert article.reviewed_by == ambassador
    assert (article.review_due - timezone.localdate()).days in range(181, 185)


def test_file_type_is_read_from_the_content(guild, member):
    article = article_create(author=member, community=guild, title="Releasen")
    with pytest.raises(DomainError):
        article_file_add(article_id=article.pk, user=member, name="evil.png", data=b"<script>")
    with pytest.raises(DomainError):  # a PNG signature on something that is no image
        article_file_add(
            article_id=article.pk, user=member, name="x.png", data=b"\x89PNG\r\n\x1a\n" + b"0" * 64
        )
    with pytest.raises(DomainError):
        article_file_add(
            article_id=article.pk, user=member, name="big.pdf", data=b"%PDF-" + b"0" * 5_242_880
        )
    saved = article_file_add(article_id=article.pk, user=member, name="../../a b.png", data=PNG)
    assert (saved.name, saved.content_type, saved.size) == ("a b.png", "image/png", len(PNG))


def test_file_count_is_limited(guild, member):
    article = article_create(author=member, community=guild, title="Releasen")
    for number in range(10):
        article_file_add(article_id=article.pk, user=member, name=f"{number}.png", data=PNG)
    with pytest.raises(DomainError):
        article_file_add(article_id=article.pk, user=member, name="11.png", data=PNG)


def test_private_article_file_is_404_to_outsiders(client, private_community, coordinator, member):
    article = article_create(author=coordinator, community=private_community, title="Intern")
    saved = article_file_add(article_id=article.pk, user=coordinator, name="s.png", data=PNG)
    url = f"/articles/{article.pk}/files/{saved.pk}/"
    client.force_login(member)
    assert client.get(url).status_code == 404
    MembershipFactory(user=member, community=private_community)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"], response.content) == (
        200,
        "image/png",
        PNG,
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_article_images_only_from_the_article(client, guild, member):
    article = article_create(
        author=member,
        community=guild,
        title="Plaatjes",
        body="![eigen](/articles/{id}/files/1/) ![ander](https://example.com/x.png)",
    )
    client.force_login(member)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert '<img alt="ander">' in html
    assert "example.com/x.png" not in html


def test_search_finds_dutch_words_by_stem_and_prefix(guild, member, postgres):
    article_create(
        author=member, community=guild, title="Vergaderingen voorbereiden", body="Agenda"
    )
    article_create(author=member, community=guild, title="Release", body="Tag en push")
    titles = lambda q: [a.title for a in article_search(member, ArticleFilters(q=q))]  # noqa: E731
    assert titles("vergadering") == ["Vergaderingen voorbereiden"]
    assert titles("pus") == ["Release"]
    assert titles("onbekendwoord") == []


def test_article_list_queries_stay_constant(client, guild, member):
    client.force_login(member)
    article_create(author=member, community=guild, title="Eén")
    client.get("/articles/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/articles/").status_code == 200
    for number in range(15):
        article_create(author=member, community=guild, title=f"Artikel {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/articles/")
    assert response.content.decode().count('class="card"') == 16
    assert len(many.captured_queries) == len(one.captured_queries)


def test_versions_page_queries_stay_constant(client, guild, member):
    client.force_login(member)
    article = article_create(author=member, community=guild, title="Eén", body="a")
    article_update(article_id=article.pk, user=member, title="Eén", body="b", kind="howto",
                   review_months=12)  # fmt: skip
    with CaptureQueriesContext(connection) as two:
        client.get(f"/articles/{article.pk}/versions/")
    for letter in "cdefghij":
        author = UserFactory()
        MembershipFactory(user=author, community=guild)
        article_coauthor_add(article_id=article.pk, user=member, email=author.email)
        article_update(article_id=article.pk, user=author, title="Eén", body=letter,
                       kind="howto", review_months=12)  # fmt: skip
    with CaptureQueriesContext(connection) as ten:
        response = client.get(f"/articles/{article.pk}/versions/")
    assert response.content.decode().count("<tr>") == 11
    assert len(ten.captured_queries) == len(two.captured_queries)


def test_erasure_hands_articles_to_a_coauthor_and_versions_keep_no_author(
    guild, member, coordinator
):
    cas = UserFactory()
    MembershipFactory(user=cas, community=guild)
    shared = article_create(author=member, community=guild, title="Gedeeld")
    article_coauthor_add(article_id=shared.pk, user=member, email=cas.email)
    alone = article_create(author=member, community=guild, title="Alleen")
    account_erase(user=member)
    assert Article.objects.get(pk=shared.pk).owner == cas
    assert Article.objects.get(pk=alone.pk).owner == coordinator
    assert list(ArticleVersion.objects.values_list("author", flat=True)) == [None, None]


def test_welcome_goes_through_the_outbox_once(guild, coordinator):
    ambassador = UserFactory()
    MembershipFactory(user=ambassador, community=guild, role="ambassador")
    newcomer = UserFactory(display_name="Nina Nieuw", language="en")
    joined = MembershipFactory(
        user=newcomer, community=guild, joined_at=timezone.now() - timedelta(days=3)
    )
    old = MembershipFactory(community=guild, joined_at=timezone.now() - timedelta(days=60))
    newcomer_welcome(community=guild, actor=ambassador, membership_id=joined.pk)
    newcomer_welcome(community=guild, actor=coordinator, membership_id=joined.pk)
    message = OutboxMessage.objects.get(dedupe_key=f"welcome:{guild.pk}:{newcomer.pk}")
    assert message.subject == "Welcome to Python-gilde"
    assert Welcome.objects.get().welcomed_by == ambassador
    with pytest.raises(DomainError):
        newcomer_welcome(community=guild, actor=ambassador, membership_id=old.pk)
    plain = UserFactory()
    MembershipFactory(user=plain, community=guild)
    with pytest.raises(DomainError):
        newcomer_welcome(community=guild, actor=plain, membership_id=joined.pk)


def test_a_journey_step_links_an_article_the_builder_can_read(guild, coordinator, member):
    article = article_create(author=member, community=guild, title="Releasen")
    template = journey_template_create(actor=coordinator, community=guild, title="Welkom")
    step = journey_step_add(
        template_id=template.pk, actor=coordinator, day_offset=7, kind="article",
        title="Lees dit", article_id=article.pk,
    )  # fmt: skip
    assert step.article == article
    with pytest.raises(DomainError):
        journey_step_add(
            template_id=template.pk, actor=coordinator, day_offset=7, kind="article",
            title="Lees dit", article_id=999_999,
        )  # fmt: skip


def test_community_page_shows_its_articles_and_the_ambassadors_page(client, guild, member):
    article_create(author=member, community=guild, title="Releasen")
    ambassador = UserFactory()
    MembershipFactory(user=ambassador, community=guild, role="ambassador")
    client.force_login(member)
    html = client.get(f"/communities/{guild.slug}/").content.decode()
    assert "Releasen" in html
    assert f"/communities/{guild.slug}/ambassador/" not in html
    client.force_login(ambassador)
    html = client.get(f"/communities/{guild.slug}/").content.decode()
    assert f"/communities/{guild.slug}/ambassador/" in html
    assert f"/communities/{guild.slug}/insights/" in html


def test_ambassador_page_queries_stay_constant(client, guild, member):
    ambassador = UserFactory()
    MembershipFactory(
        user=ambassador, community=guild, role="ambassador",
        joined_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip
    client.force_login(ambassador)

    def due_article(title):
        article = article_create(author=member, community=guild, title=title)
        Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate())

    due_article("Eén")
    MembershipFactory(community=guild)
    url = f"/communities/{guild.slug}/ambassador/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(8):
        due_article(f"Artikel {number}")
        MembershipFactory(community=guild)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('class="card"') == 9 + 11  # articles; newcomers: 9, member, coordinator
    assert len(many.captured_queries) == len(one.captured_queries)


# --- The session page's articles panel (registered with events.extensions) -------------------


def _session_page(client, user, session) -> str:
    client.force_login(user)
    response = client.get(f"/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_session_page_lists_the_linked_articles_the_viewer_may_read(
    client, guild, private_community, coordinator, member
):
    """A public session linked to an organisation article, one of the guild's, one archived and
    one of a private community: each reader sees what they may read, nothing else."""
    session = SessionFactory(community=guild, title="Release-sessie")
    public = article_create(author=member, community=guild, title="Releasen stap voor stap")
    everyone = article_create(author=coordinator, community=None, title="Werkafspraken")
    secret = article_create(author=coordinator, community=private_community, title="Kluisprocedure")
    old = article_create(author=member, community=guild, title="Oude release")
    for article, author in ((public, member), (everyone, coordinator), (secret, coordinator),
                            (old, member)):  # fmt: skip
        article_sessions_set(article_id=article.pk, user=author, session_ids=[session.pk])
    article_archive(article_id=old.pk, user=member)

    def titles(html: str) -> list[str]:
        found = [a.title for a in (public, everyone, secret, old) if a.title in html]
        return sorted(found)

    member_page = _session_page(client, member, session)
    assert 'id="session-articles"' in member_page
    assert f'href="/articles/{public.pk}/"' in member_page
    assert titles(member_page) == ["Releasen stap voor stap", "Werkafspraken"]
    assert titles(_session_page(client, coordinator, session)) == [
        "Kluisprocedure", "Releasen stap voor stap", "Werkafspraken",
    ]  # fmt: skip
    assert titles(_session_page(client, UserFactory(), session)) == [
        "Releasen stap voor stap", "Werkafspraken",
    ]  # fmt: skip


def test_session_page_without_readable_articles_shows_no_panel(
    client, guild, private_community, coordinator, member
):
    session = SessionFactory(community=guild)
    secret = article_create(author=coordinator, community=private_community, title="Kluisprocedure")
    article_sessions_set(article_id=secret.pk, user=coordinator, session_ids=[session.pk])
    html = _session_page(client, member, session)
    assert "session-articles" not in html
    assert "Kluisprocedure" not in html
    assert 'id="session-articles"' in _session_page(client, coordinator, session)


def test_session_page_articles_panel_runs_the_same_queries_for_1_and_many(client, guild, member):
    session = SessionFactory(community=guild)

    def link(title: str) -> None:
        article = article_create(author=member, community=guild, title=title)
        article_sessions_set(article_id=article.pk, user=member, session_ids=[session.pk])

    link("Eén")
    client.force_login(member)
    client.get(f"/sessions/{session.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/sessions/{session.pk}/")
    for number in range(12):
        link(f"Artikel {number}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(f"/sessions/{session.pk}/").content.decode()
    assert html.count('href="/articles/') == 13
    assert len(many.captured_queries) == len(one.captured_queries)


# --- A leermarkt stand's material can be an article (a link guard in events.extensions) ------


def test_leermarkt_material_links_an_article_only_for_those_who_may_read_it(
    settings, private_community, coordinator, member
):
    organiser = UserFactory()
    festival = make_festival(
        organiser=organiser, slug="markt", is_leermarkt=True, published_version=1
    )
    stand = stand_create(
        festival=festival, organiser=organiser, title="Kennis", place="Hal A", hosts=[coordinator]
    )
    time = stand_time_add(
        stand_id=stand.pk, organiser=organiser, start=at(festival, "10:00"),
        end=at(festival, "11:00"),
    )  # fmt: skip
    open_article = article_create(author=coordinator, community=None, title="Werkafspraken")
    secret = article_create(author=coordinator, community=private_community, title="Kluis")
    for title, url in (
        ("Open", f"{settings.SITE_URL}/articles/{open_article.pk}/"),
        ("Geheim", f"/articles/{secret.pk}/"),
        ("Elders", f"https://elders.example.org/articles/{secret.pk}/"),
    ):
        stand_material_add(
            stand_id=stand.pk, actor=coordinator, category="theory", title=title, url=url
        )
    with pytest.raises(DomainError) as raised:  # a host cannot hand out what they cannot read
        stand_material_add(
            stand_id=stand.pk, actor=organiser, category="tools", title="x",
            url=f"{settings.SITE_URL}/articles/{secret.pk}/",
        )  # fmt: skip
    assert raised.value.code == "link"

    def collected(person) -> list[str]:
        festival_pick(session_id=time.pk, user=person)
        return [m.title for c in my_leermarkt_material(festival, person)
                for _label, ms in c.by_category for m in ms]  # fmt: skip

    assert collected(member) == ["Open", "Elders"]
    insider = UserFactory()
    MembershipFactory(user=insider, community=private_community)
    assert collected(insider) == ["Open", "Geheim", "Elders"]
