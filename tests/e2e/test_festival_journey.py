"""A knowledge festival in the browser: a speaker proposes a session, the organiser
reviews and accepts it, places it on the grid with the keyboard-friendly form and publishes;
an attendee picks it and finds it in their personal calendar feed. Every page passes axe-core's
WCAG 2.1 A/AA rules (tests/e2e/browser.py)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from events.models import Proposal, Rsvp
from tests.e2e.browser import navigation, visit
from tests.events.festivals.festival_helpers import make_festival, make_room, make_slot
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

TITLE = "Pandas in de praktijk"


@pytest.fixture
def festival_world(transactional_db):
    olga = UserFactory(email="olga@example.org", display_name="Olga Organiser", language="en")
    sara = UserFactory(email="sara@example.org", display_name="Sara Speaker", language="en")
    anna = UserFactory(email="anna@example.org", display_name="Anna Attendee", language="en")
    festival = make_festival(organiser=olga, slug="kennisfestival", name="Kennisfestival")
    slot = make_slot(festival, make_room(festival, "Zaal 1", 40), "10:00", "10:30")
    return festival, slot, olga, sara, anna


def test_propose_review_accept_place_publish_pick_and_feed(new_page, sign_in, festival_world,
                                                            live_server):  # fmt: skip
    festival, slot, olga, sara, anna = festival_world
    home = f"/festivals/{festival.slug}/"

    # The speaker proposes.
    speaker = new_page(locale="en-GB")
    sign_in(speaker, sara)
    visit(speaker, home)
    expect(speaker.get_by_text("The programme has not been published yet.")).to_be_visible()
    with navigation(speaker):
        speaker.get_by_role("link", name="Propose a session").click()
    speaker.get_by_label("Title").fill(TITLE)
    speaker.get_by_label("Abstract").fill("Wat we leerden van een jaar pandas.")
    speaker.locator("#id_session_type").select_option("talk")
    speaker.locator("#id_level").select_option("intermediate")
    speaker.locator("#id_language").select_option("nl")
    with navigation(speaker):
        speaker.get_by_role("button", name="Send proposal").click()
    expect(speaker.locator(".messages")).to_contain_text("your proposal has been sent for review")
    proposal = Proposal.objects.get(title=TITLE)
    assert (proposal.state, proposal.duration, proposal.speaker_id) == ("submitted", 25, sara.pk)

    # The organiser reviews and accepts.
    organiser = new_page(locale="en-GB")
    sign_in(organiser, olga)
    visit(organiser, f"{home}review/")
    with navigation(organiser):
        organiser.get_by_role("link", name=TITLE).click()
    expect(organiser.get_by_text("You see the other reviews once you have given your own score."))
    organiser.get_by_label("Score (1–5)").fill("4")
    with navigation(organiser):
        organiser.get_by_role("button", name="Save review").click()
    with navigation(organiser):
        organiser.get_by_role("button", name="Accept").click()
    expect(organiser.locator(".messages")).to_contain_text("The decision has been saved")
    proposal.refresh_from_db()
    assert proposal.state == "accepted"

    # ... places it on the grid and publishes.
    visit(organiser, f"{home}programme/")
    organiser.locator(f"#place-{slot.pk}").select_option(str(proposal.pk))
    # With the keyboard: from the choice, Tab to its Place button, Enter.
    organiser.locator(f"#place-{slot.pk}").focus()
    organiser.keyboard.press("Tab")
    with navigation(organiser):
        organiser.keyboard.press("Enter")
    expect(organiser.locator(".messages")).to_contain_text("The session has been placed.")
    with navigation(organiser):
        organiser.get_by_role("button", name="Publish the programme").click()
    expect(organiser.locator(".messages")).to_contain_text("Version 1 of the programme")

    # The attendee picks it.
    attendee = new_page(locale="en-GB")
    sign_in(attendee, anna)
    visit(attendee, home)
    with navigation(attendee):
        attendee.get_by_role("button", name=re.compile(rf"^Pick\s*: {TITLE}$")).click()
    expect(attendee.locator(".messages")).to_contain_text("Added to your agenda: you are going.")
    expect(attendee.locator("#agenda").locator("xpath=..")).to_contain_text(TITLE)
    proposal.refresh_from_db()
    assert Rsvp.objects.get(user=anna, session=proposal.session).status == "going"

    # ... and finds it in the personal feed.
    visit(attendee, "/me/calendar/")
    with navigation(attendee):
        attendee.get_by_role("button", name="Make my feed address").click()
    feed = urlsplit(attendee.locator("#feed-https").input_value()).path
    body = attendee.request.get(live_server.url + feed).text()
    assert f"SUMMARY:{TITLE}" in body
