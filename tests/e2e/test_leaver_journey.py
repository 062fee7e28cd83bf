"""Staff deactivating a leaver read what will happen before the button: memberships, seats,
calendar entries, hosting. Dutch and English, desktop and phone, axe-core on every page;
keyboard only for the button."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from events.sessions.services.rsvp import rsvp_set
from tests.e2e.browser import navigation, visit
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WORDS = {
    "en": ("Deactivating this person will:", "Their memberships end: Data & AI-gilde."),
    "nl": ("Deze persoon deactiveren:", "Hun lidmaatschappen eindigen: Data & AI-gilde."),
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_person_page_says_what_deactivation_will_do(new_page, sign_in, language):
    staff = StaffFactory(email="beheer@kennis.example", display_name="Beheer", language=language)
    leaver = UserFactory(email="wim@kennis.example", display_name="Wim Weg")
    community = CommunityFactory(name="Data & AI-gilde")
    MembershipFactory(user=leaver, community=community)
    MembershipFactory(user=staff, community=community, role="coordinator")
    start = timezone.now() + timedelta(days=7)
    session = SessionFactory(community=community, title="Type hints & tests", start=start,
                             end=start + timedelta(hours=1), capacity=5)  # fmt: skip
    session.hosts.set([leaver])
    rsvp_set(session_id=session.pk, user=leaver, status="going")
    heading, memberships = WORDS[language]

    for width, height in ((1366, 900), (390, 844)):
        page = new_page(locale=language, viewport={"width": width, "height": height})
        sign_in(page, staff)
        visit(page, f"/organisation/people/{leaver.pk}/")
        main = page.locator("main").inner_text()
        assert heading in main and memberships in main
        assert "Type hints & tests" in main
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"leaver-{language}-{width}.png"), full_page=True)

    # Keyboard only: focus the button and press Enter.
    button = page.locator(
        f"main form[action='/organisation/people/{leaver.pk}/deactivate/'] button"
    )
    button.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    leaver.refresh_from_db()
    assert leaver.is_active is False
