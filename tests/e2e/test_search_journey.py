"""The global search from the header: at 1366×900 the box sits in the header's one row, on a
phone it is in the menu; typing words and pressing Enter shows the results grouped by kind.
Every page is checked by axe-core; screenshots at both sizes in Dutch and English go to
var/screenshots/search/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from knowledge.services.questions import question_ask
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "search"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "nl": {"menu": "Menu", "search": "Zoeken", "takeaways": "Inzichten", "people": "Collega's"},
    "en": {"menu": "Menu", "search": "Search", "takeaways": "Takeaways", "people": "Colleagues"},
}


@pytest.fixture
def world(transactional_db):
    guild = CommunityFactory(
        name="Python-gilde", slug="python-gilde", purpose="Samen beter testen met pytest"
    )
    secret = CommunityFactory(
        name="Security Champions", slug="security-champions", visibility="private",
        purpose="Pytest voor de kluis",
    )  # fmt: skip
    readers = {
        lang: UserFactory(email=f"{lang}@example.org", display_name=f"Lezer {lang}", language=lang)
        for lang in WORDS
    }
    for reader in readers.values():
        MembershipFactory(user=reader, community=guild)
    SessionFactory(community=guild, title="Pytest-fixtures in de praktijk")
    SessionFactory(community=secret, title="Pytest in de kluis")
    past = timezone.now() - timedelta(days=2)
    held = SessionFactory(community=guild, start=past, end=past + timedelta(hours=1))
    expert = UserFactory(display_name="Kees Kenner")
    opt_in(expert, "pytest")
    TakeawayFactory(
        session=held, author=expert, owner=expert, title="Pytest-parametrize bespaart werk",
        visibility="organisation", review_due=timezone.localdate() + timedelta(days=100),
    )  # fmt: skip
    question_ask(author=expert, title="Hoe mock je tijd in pytest?", community=guild)
    return readers


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_searching_from_the_header(new_page, sign_in, world, lang, size):
    words = WORDS[lang]
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=SIZES[size])
    sign_in(page, world[lang])
    visit(page, "/sessions/")
    assert_accessible(page)
    if size == "phone":
        page.get_by_role("button", name=words["menu"]).click()
    box = page.get_by_role("search").get_by_role("searchbox", name=words["search"])
    expect(box).to_be_visible()
    if size == "desktop":
        # One row: the box is level with the brand, not wrapped below it.
        brand, field = page.locator(".brand").bounding_box(), box.bounding_box()
        assert abs((brand["y"] + brand["height"] / 2) - (field["y"] + field["height"] / 2)) < 12
        assert page.locator(".header-inner").bounding_box()["height"] < 80
    shot(page, f"header-{size}-{lang}")
    box.fill("pytest")
    with navigation(page):
        box.press("Enter")
    assert page.url.endswith("/search/?q=pytest")
    assert_accessible(page)
    main = page.locator("main")
    expect(main.get_by_role("heading", level=2, name=words["takeaways"])).to_be_visible()
    for text in (
        "Python-gilde",
        "Pytest-fixtures in de praktijk",
        "Pytest-parametrize bespaart werk",
        "Hoe mock je tijd in pytest?",
        "Kees Kenner",
    ):
        expect(main.get_by_role("link", name=text, exact=True)).to_be_visible()
    # The private community and its session are not for this reader.
    expect(main.get_by_text("Security Champions")).to_have_count(0)
    expect(main.get_by_text("Pytest in de kluis")).to_have_count(0)
    shot(page, f"results-{size}-{lang}")
    # Keyboard: the first result is reachable and opens.
    with navigation(page):
        main.get_by_role("link", name="Python-gilde", exact=True).press("Enter")
    assert page.url.endswith("/communities/python-gilde/")
    assert_accessible(page)
