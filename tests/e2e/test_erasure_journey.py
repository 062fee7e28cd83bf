"""Browser journey: deleting my account asks about my shared takeaways (keyboard only), in
Dutch and English, on a laptop and a phone; and the page for unreadable input (NUL) is a page
like the others. Screenshots go to var/screenshots/ (not committed); axe checks every page."""

from pathlib import Path

import pytest
from django.conf import settings

from communities.models import User
from events.models import Takeaway
from tests.e2e.browser import navigation, visit
from tests.factories import CommunityFactory, SessionFactory, TakeawayFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TEXTS = {
    "nl-NL": ("Je gedeelde inzichten", "Ook verwijderen", "Dit verzoek kon niet worden gelezen"),
    "en-GB": ("Your shared takeaways", "Delete them too", "That request could not be read"),
}


def writer(email: str, language: str) -> User:
    person = UserFactory(email=email, language=language)
    session = SessionFactory(community=CommunityFactory())
    TakeawayFactory(session=session, author=person, owner=person, visibility="organisation")
    TakeawayFactory(session=session, author=person, owner=person, visibility="private")
    return person


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", TEXTS)
def test_erasure_asks_about_shared_takeaways_by_keyboard(new_page, sign_in, locale, size):
    person = writer(f"schrijver-{locale}-{size}@example.org", locale[:2])
    page = new_page(locale=locale, viewport=SIZES[size])
    sign_in(page, person)
    question, delete_label, bad_input = TEXTS[locale]

    visit(page, "/me/")
    group = page.get_by_role("group", name=question)
    assert group.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    group.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"erasure-{locale}-{size}.png"), full_page=True)

    # Keyboard only: focus the first choice, arrow to "delete", tab to the address, Enter.
    page.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio", name=delete_label).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type(person.email)
    with navigation(page):
        page.keyboard.press("Enter")

    assert not User.objects.filter(pk=person.pk).exists()
    assert not Takeaway.objects.exists()  # the shared one went too, the private one always

    visit(page, "/sessions/?q=a%00b", status=400)
    assert page.get_by_role("heading", level=1).inner_text() == bad_input
    page.screenshot(path=str(SHOTS / f"bad-input-{locale}-{size}.png"), full_page=True)
