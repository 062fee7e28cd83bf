"""Knowledge articles and ambassadors in the browser: an owner edits an article (a new version
with a visible difference), the list finds it, and the guild's ambassador works through the
review queue and welcomes a newcomer with one click. Every page passes axe-core and the CSP;
screenshots at 1366×900 and 390×844 in Dutch and English go to var/screenshots/articles/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from communities.mail.models import OutboxMessage
from learning.articles.models import Article, ArticleVersion
from learning.articles.services import article_create, article_file_add, article_sessions_set
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory
from tests.learning.articles_matrix_world import PNG

pytestmark = pytest.mark.browser
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "articles"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        assert_accessible(page)


@pytest.fixture
def guild(transactional_db):
    guild = CommunityFactory(name="Python-gilde", slug="python-gilde")
    people = {
        "sanne": UserFactory(email="sanne@example.org", display_name="Sanne de Vries"),
        "pieter": UserFactory(email="pieter@example.org", display_name="Pieter Claes"),
        "nina": UserFactory(email="nina@example.org", display_name="Nina Nieuw", team="Noord"),
    }
    long_ago = timezone.now() - timedelta(days=400)
    MembershipFactory(user=people["sanne"], community=guild, role="coordinator", joined_at=long_ago)
    MembershipFactory(user=people["pieter"], community=guild, role="ambassador", joined_at=long_ago)
    MembershipFactory(
        user=people["nina"], community=guild, joined_at=timezone.now() - timedelta(days=2)
    )
    article = article_create(
        author=people["sanne"],
        community=guild,
        title="Je ontwikkelomgeving opzetten",
        body="## Stappen\n\n1. Clone de repository\n2. Maak een virtuele omgeving",
    )
    image = article_file_add(article_id=article.pk, user=people["sanne"], name="s.png", data=PNG)
    Article.objects.filter(pk=article.pk).update(
        body=article.body + f"\n\n![Schema](/articles/{article.pk}/files/{image.pk}/)"
    )
    due = article_create(author=people["sanne"], community=guild, title="Instructiekaart: release")
    Article.objects.filter(pk=due.pk).update(review_due=timezone.localdate() - timedelta(days=2))
    return guild, people, article, due


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_owner_edits_and_sees_what_changed(new_page, sign_in, guild, locale):
    _guild, people, article, _due = guild
    people["sanne"].language = locale[:2]
    people["sanne"].save(update_fields=["language"])
    page = new_page(locale=locale)
    sign_in(page, people["sanne"])
    visit(page, "/articles/?q=ontwikkelomgeving")
    expect(page.locator("#articles .card")).to_have_count(1)
    shoot(page, f"list-{locale}")
    with navigation(page):
        page.get_by_role("link", name="Je ontwikkelomgeving opzetten").click()
    expect(page.locator(".article-body img")).to_have_count(1)
    shoot(page, f"detail-{locale}")
    visit(page, f"/articles/{article.pk}/edit/")
    shoot(page, f"edit-{locale}")
    body = page.locator("textarea[name=body]")
    body.focus()
    body.press("End")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n3. Draai de tests")
    page.locator("input[name=note]").fill("tests erbij")
    with navigation(page):
        page.locator("input[name=note]").press("Enter")
    assert ArticleVersion.objects.filter(article=article).count() == 2
    visit(page, f"/articles/{article.pk}/versions/")
    expect(page.locator("#diff .diff-add")).to_contain_text(["3. Draai de tests"])
    shoot(page, f"versions-{locale}")


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_ambassador_reviews_and_welcomes(new_page, sign_in, guild, locale):
    community, people, _article, due = guild
    people["pieter"].language = locale[:2]
    people["pieter"].save(update_fields=["language"])
    page = new_page(locale=locale)
    sign_in(page, people["pieter"])
    visit(page, "/articles/")
    with navigation(page):
        page.locator("#looked-after a").click()
    expect(page.locator("#review-queue .card")).to_have_count(1)
    expect(page.locator("#newcomers .card")).to_have_count(1)
    shoot(page, f"ambassador-{locale}")
    welcome = page.locator("#newcomers button")
    welcome.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    expect(page.locator("#newcomers .badge")).to_have_count(1)
    mail = OutboxMessage.objects.get(dedupe_key=f"welcome:{community.pk}:{people['nina'].pk}")
    assert "Pieter Claes" in mail.body_text
    with navigation(page):
        page.locator("#review-queue button[value=reviewed]").click()
    expect(page.locator("#review-queue")).to_have_count(0)
    due.refresh_from_db()
    assert due.reviewed_by == people["pieter"]
    shoot(page, f"ambassador-done-{locale}")
    visit(page, f"/communities/{community.slug}/insights/")
    assert_accessible(page)


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_session_page_lists_the_articles_linked_to_it(new_page, sign_in, guild, locale):
    """The articles panel learning registers on the session page: the guild's linked article
    shows to a member, a private community's linked article does not; keyboard to the article."""
    guild_, people, article, due = guild
    session = SessionFactory(community=guild_, title="Brown bag: je eerste release")
    article_sessions_set(article_id=article.pk, user=people["sanne"], session_ids=[session.pk])
    article_sessions_set(article_id=due.pk, user=people["sanne"], session_ids=[session.pk])
    private = CommunityFactory(name="Security", slug="security", visibility="private")
    MembershipFactory(user=people["sanne"], community=private, role="coordinator")
    secret = article_create(author=people["sanne"], community=private, title="Kluisprocedure")
    article_sessions_set(article_id=secret.pk, user=people["sanne"], session_ids=[session.pk])
    people["nina"].language = locale[:2]
    people["nina"].save(update_fields=["language"])
    page = new_page(locale=locale)
    sign_in(page, people["nina"])
    visit(page, f"/sessions/{session.pk}/")
    expect(page.locator("#session-articles .card")).to_have_count(2)
    expect(page.get_by_text("Kluisprocedure")).to_have_count(0)
    shoot(page, f"session-panel-{locale}")
    link = page.get_by_role("link", name="Je ontwikkelomgeving opzetten")
    link.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/articles/{article.pk}/")
