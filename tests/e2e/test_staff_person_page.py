"""The staff's person page names only communities the staff member may see and counts the
private others, in Dutch and English, on a laptop and a phone; every page passes axe and a
screenshot of each is kept in the test's temporary directory."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import visit
from tests.factories import CommunityFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
HIDDEN = {
    "nl": "En 2 besloten community's waar je geen lid van bent.",
    "en": "And 2 private communities you are not a member of.",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_person_page_keeps_private_communities_private(
    new_page, sign_in, transactional_db, language, viewport, tmp_path
):
    staff = StaffFactory(email="beheer@example.org", language=language)
    person = UserFactory(email="pim@example.org", display_name="Pim Person")
    MembershipFactory(user=person, community=CommunityFactory(name="Python-gilde"))
    for name in ("Security Champions", "Reorganisatie 2027"):
        private = CommunityFactory(name=name, visibility="private", join_policy="invite")
        MembershipFactory(user=person, community=private)
    page = new_page(locale=f"{language}-NL", viewport=VIEWPORTS[viewport])
    sign_in(page, staff)

    visit(page, f"/organisation/people/{person.pk}/")

    expect(page.locator("#memberships-hidden")).to_have_text(HIDDEN[language])
    memberships = page.locator("section[aria-labelledby=memberships-heading]")
    expect(memberships.get_by_text("Python-gilde")).to_be_visible()
    assert "Security Champions" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / f"person-{language}-{viewport}.png", full_page=True)
