"""The staff's directory page, reached from the organisation settings: a token shown once, a group linked to a community, a held
deactivation confirmed, by keyboard, in Dutch and English, on a laptop and a phone; every page
passes axe and a screenshot of each is kept (SHOTS_DIR, else the test's temporary directory)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from directory.models import DeprovisionHold
from tests.e2e.browser import navigation, visit
from tests.factories import CommunityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TEXT = {
    "nl": {
        "sync": "Directorysynchronisatie",
        "make": "Token maken",
        "link": "Groep koppelen",
        "deactivate": "Deactiveren",
        "done": "De persoon is gedeactiveerd.",
    },
    "en": {
        "sync": "Directory sync",
        "make": "Make token",
        "link": "Link group",
        "deactivate": "Deactivate",
        "done": "The person has been deactivated.",
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_staff_make_a_token_link_a_group_and_confirm_a_held_deactivation(
    new_page, sign_in, transactional_db, language, viewport, tmp_path
):
    shots = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    staff = StaffFactory(email="beheer@example.org", language=language)
    CommunityFactory(name="Financiën")
    leaver = UserFactory(email="lea@example.org", display_name="Lea Leaver")
    DeprovisionHold.objects.create(user=leaver)
    page = new_page(locale=f"{language}-NL", viewport=VIEWPORTS[viewport])
    sign_in(page, staff)
    text = TEXT[language]

    visit(page, "/organisation/")  # staff reach the directory page from the settings
    page.screenshot(path=shots / f"organisation-{language}-{viewport}.png", full_page=True)
    chip = page.locator(".settings-links").get_by_role("link", name=text["sync"])
    chip.focus()
    # Every form below posts to this same address or redirects back to it, so waiting for the
    # URL would return at once: ``navigation`` waits for the new document and checks it (a test
    # that ended while the live server was still answering flaked under load).
    with navigation(page):
        page.keyboard.press("Enter")
    assert page.url.endswith("/organisation/directory/")
    page.screenshot(path=shots / f"directory-{language}-{viewport}.png", full_page=True)
    page.locator("#id_name").fill("Entra ID")
    with navigation(page):
        page.locator("#id_name").press("Enter")
    token = page.locator("#new-token")
    expect(token).to_have_value(re.compile(r"^kpd_"))
    secret = token.input_value()
    page.screenshot(path=shots / f"directory-token-{language}-{viewport}.png", full_page=True)

    page.locator("#id_community").select_option(label="Financiën")
    page.locator("#id_group_name").fill("g-fin")
    with navigation(page):
        page.get_by_role("button", name=text["link"]).click()
    expect(page.get_by_role("cell", name="g-fin", exact=True)).to_be_visible()
    assert secret not in page.content()  # the secret is shown once only

    button = page.get_by_role("button", name=f"{text['deactivate']} Lea Leaver")
    button.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text(text["done"])).to_be_visible()
    expect(button).to_have_count(0)
    leaver.refresh_from_db()
    assert leaver.is_active is False
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=shots / f"directory-done-{language}-{viewport}.png", full_page=True)
