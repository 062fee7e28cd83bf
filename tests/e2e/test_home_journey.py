"""A member's first journey in the browser: log in, read the home page in Dutch, switch to English,
look around; every page passes axe-core's WCAG 2.1 A/AA rules (see tests/e2e/browser.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.browser import AccessibilityViolation, assert_accessible, navigation, visit
from tests.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def mia(transactional_db):
    """A member of the Python guild with one session coming up there."""
    user = UserFactory(email="mia@example.org", display_name="Mia Member", language="nl")
    guild = CommunityFactory(
        name="Python-gilde", slug="python-gilde", purpose="Samen beter Python schrijven"
    )
    MembershipFactory(user=user, community=guild)
    SessionFactory(
        community=guild,
        title="Type hints in de praktijk",
        start=timezone.now() + timedelta(days=3),
        location="Zaal 1",
    )
    CommunityFactory(name="Security Champions", slug="security-champions")
    return user


def heading(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def log_in(page: Page, email: str, password: str) -> None:
    """Through allauth's form, in Dutch."""
    visit(page, "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    with navigation(page):
        page.get_by_role("button", name="Inloggen").click()


def test_member_login_shows_dutch_home_and_switch_shows_english(page, mia):
    log_in(page, "mia@example.org", PASSWORD)

    assert page.url.endswith("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert heading(page) == "Welkom, Mia Member"
    expect(page.get_by_role("heading", level=2, name="Binnenkort")).to_be_visible()
    expect(page.get_by_role("link", name="Type hints in de praktijk")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Mijn community's")).to_be_visible()
    main_menu = page.get_by_role("navigation", name="Hoofdmenu")
    for link in ["Agenda", "Community's"]:
        expect(main_menu.get_by_role("link", name=link, exact=True)).to_be_visible()

    # Profile, language and logging out are in the account menu beside the main menu.
    header = page.get_by_role("banner")
    account = header.get_by_role("button", name="Accountmenu")
    expect(account).to_have_attribute("aria-expanded", "false")
    expect(header.get_by_role("link", name="Mijn profiel")).to_be_hidden()
    account.click()
    expect(account).to_have_attribute("aria-expanded", "true")
    expect(header.get_by_role("link", name="Mijn profiel")).to_be_visible()
    header.get_by_label("Taal").select_option("en")
    with navigation(page):
        header.get_by_role("button", name="Wisselen").click()

    assert page.url.endswith("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert heading(page) == "Welcome, Mia Member"
    expect(page.get_by_role("heading", level=2, name="Coming up")).to_be_visible()
    expect(page.get_by_role("banner").get_by_label("Language")).to_have_value("en")
    mia.refresh_from_db()
    assert mia.language == "en"


@pytest.mark.parametrize(
    ("locale", "lang", "title", "email_label", "password_label", "button"),
    [
        ("nl-NL", "nl", "Inloggen", "E-mailadres", "Wachtwoord", "Inloggen"),
        ("en-GB", "en", "Log in", "Email", "Password", "Log in"),
    ],
)
def test_login_page_renders_in_browser_language(
    new_page, locale, lang, title, email_label, password_label, button
):
    page = new_page(locale=locale)

    visit(page, "/accounts/login/")

    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert heading(page) == title
    expect(page.get_by_label(email_label, exact=True)).to_have_attribute("type", "email")
    expect(page.get_by_label(password_label, exact=True)).to_have_attribute("type", "password")
    expect(page.locator("main").get_by_role("button", name=button)).to_be_visible()


def test_member_pages_pass_axe(page, sign_in, mia):
    sign_in(page, mia)

    visit(page, "/sessions/")
    assert heading(page) == "Agenda"
    with navigation(page):
        page.get_by_role("link", name="Type hints in de praktijk").click()
    assert heading(page) == "Type hints in de praktijk"

    visit(page, "/communities/")
    assert heading(page) == "Community's"
    expect(page.get_by_role("link", name="Security Champions")).to_be_visible()
    with navigation(page):
        page.get_by_role("link", name="Python-gilde").click()
    assert page.url.endswith("/communities/python-gilde/")
    assert heading(page) == "Python-gilde"

    visit(page, "/me/")
    assert heading(page) == "Mijn profiel"
    expect(page.get_by_label("Weergavenaam")).to_have_value("Mia Member")


def test_member_pages_reflow_at_320_css_pixels(new_page, sign_in, mia):
    """WCAG 1.4.10: no sideways scrolling at 320 px, even with a long e-mail address."""
    mia.email = "mia.member.with.a.rather.long.address@example.org"
    mia.save(update_fields=["email"])
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, mia)

    month = timezone.localdate().strftime("%Y-%m")
    pages = [
        "/",
        "/sessions/",
        "/agenda/",
        f"/agenda/?month={month}",
        "/communities/",
        "/communities/python-gilde/",
        "/takeaways/",
        "/festivals/",
        "/me/",
    ]
    for url in pages:
        visit(page, url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width}px wide at a 320px viewport"


def test_staff_pages_reflow_at_320_css_pixels(new_page, sign_in, transactional_db):
    """Organisation settings and insights (charts, tables, the brand preview) fit 320 px."""
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, StaffFactory(email="beheer@example.org", display_name="Bea Beheer"))

    for url in ["/organisation/", "/insights/"]:
        visit(page, url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width}px wide at a 320px viewport"


def test_mobile_menu_opens_and_closes_by_keyboard(new_page, sign_in, mia):
    """At phone width the links sit behind one disclosure button; Escape closes it and focus
    goes back to the button."""
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, mia)
    visit(page, "/")
    menu = page.get_by_role("button", name="Menu")
    communities = page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Community's"
    )

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(communities).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(communities).to_be_visible()
    expect(page.get_by_role("link", name="Mijn profiel")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(communities).to_be_hidden()


def test_desktop_header_is_one_row_at_1366(new_page, sign_in, mia):
    page = new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, mia)
    visit(page, "/")

    links = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    header = page.get_by_role("banner").bounding_box()

    assert len(tops) == 1, f"the main menu wraps onto {len(tops)} rows"
    assert header["height"] <= 72


def test_skip_link_moves_focus_to_main(page, sign_in, mia):
    sign_in(page, mia)
    visit(page, "/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de hoofdinhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("/#main")


def test_axe_check_fails_with_rule_impact_and_target(page):
    page.set_content(
        '<html lang="nl"><head><title>Test</title></head><body><main>'
        '<label>Zoek</label><input id="q"><img src="data:,">'
        "</main></body></html>"
    )

    with pytest.raises(AccessibilityViolation) as failure:
        assert_accessible(page)

    report = str(failure.value)
    assert report.startswith("2 WCAG 2.1 A/AA violation(s) on about:blank:")
    assert "- image-alt (critical): Images must have alternative text" in report
    assert "- label (critical): Form elements must have labels" in report
    assert "    at #q" in report
    assert "    at img" in report
