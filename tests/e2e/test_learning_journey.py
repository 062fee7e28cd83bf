"""Workplace learning in the browser: a newcomer follows her journey and ticks a step with the
keyboard, the coordinator's template page, pairing with skip and pause, booking a full
shadowing day (waiting list), and a learning statement verified by its link without an account.
Every page passes axe-core and the CSP; screenshots at 1366×900 and 390×844 in Dutch and
English go to var/screenshots/learning/."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Rsvp
from learning.journeys.services import journey_start, journey_step_add, journey_template_create
from learning.pairing.models import PairingOptIn
from learning.pairing.services import pairing_programme_create
from learning.record.models import Statement
from learning.shadowing.services import shadowing_book, shadowing_offer_create, shadowing_slot_add
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "learning"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def team(transactional_db):
    guild = CommunityFactory(name="Wijkteam Noord", slug="wijkteam-noord")
    people = {
        "cora": UserFactory(email="cora@example.org", display_name="Cora Coördinator"),
        "nina": UserFactory(email="nina@example.org", display_name="Nina Nieuw", team="Noord"),
        "bob": UserFactory(email="bob@example.org", display_name="Bob Buddy", team="Zuid"),
        "sara": UserFactory(email="sara@example.org", display_name="Sara Supervisor"),
    }
    MembershipFactory(user=people["cora"], community=guild, role="coordinator")
    for key in ("nina", "bob", "sara"):
        MembershipFactory(user=people[key], community=guild)
    template = journey_template_create(
        actor=people["cora"], community=guild, title="Welkom in het wijkteam"
    )
    journey_step_add(
        template_id=template.pk, actor=people["cora"], day_offset=0, kind="meet",
        title="Koffie met je buddy", person_id=people["bob"].pk,
    )  # fmt: skip
    journey_step_add(
        template_id=template.pk, actor=people["cora"], day_offset=3, kind="checklist",
        title="Je werkplek", details="Laptop ophalen\nToegangspas",
    )  # fmt: skip
    journey = journey_start(
        template_id=template.pk, actor=people["cora"], newcomer_id=people["nina"].pk,
        buddy_id=people["bob"].pk, supervisor_id=people["sara"].pk,
        start_date=timezone.localdate(),
    )  # fmt: skip
    return guild, people, template, journey


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        assert_accessible(page)


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_newcomer_ticks_a_step_with_the_keyboard(new_page, sign_in, team, locale):
    _guild, people, _template, journey = team
    people["nina"].language = locale[:2]
    people["nina"].save(update_fields=["language"])
    page = new_page(locale=locale)
    sign_in(page, people["nina"])
    visit(page, "/journeys/")
    shoot(page, f"journeys-{locale}")
    with navigation(page):
        page.get_by_role("link", name="Welkom in het wijkteam").click()
    first = page.get_by_role("button", name="Koffie met je buddy")
    first.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    done = "1 van 2 stappen gedaan" if locale == "nl-NL" else "1 of 2 steps done"
    expect(page.locator("#progress")).to_contain_text(done)
    shoot(page, f"journey-{locale}")
    assert journey.progress.filter(done_at__isnull=False).count() == 1


def test_the_coordinator_sees_the_template_and_no_ones_progress(new_page, sign_in, team):
    _guild, people, template, journey = team
    people["cora"].language = "en"
    people["cora"].save(update_fields=["language"])
    page = new_page(locale="en-GB")
    sign_in(page, people["cora"])
    visit(page, f"/journeys/templates/{template.pk}/")
    expect(page.get_by_text("Figures appear from five journeys on")).to_be_visible()
    shoot(page, "template-en")
    visit(page, f"/journeys/{journey.pk}/", status=404)


def test_pairing_join_skip_and_pause_are_one_click(new_page, sign_in, team):
    guild, people, _template, _journey = team
    programme = pairing_programme_create(
        actor=people["cora"], community=guild, name="Koffie in Noord", cadence_weeks=2,
        first_round_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    people["nina"].language = "en"
    people["nina"].save(update_fields=["language"])
    page = new_page(locale="en-GB")
    sign_in(page, people["nina"])
    visit(page, "/pairing/")
    with navigation(page):
        page.get_by_role("button", name="Take part").click()
    with navigation(page):
        page.get_by_role("button", name="Skip the next round").click()
    with navigation(page):
        page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused: you are not paired until you resume.")).to_be_visible()
    shoot(page, "pairing-en")
    opt_in = PairingOptIn.objects.get(programme=programme, user=people["nina"])
    assert (opt_in.skip_next, opt_in.paused) == (True, True)


def test_booking_a_full_shadowing_day_joins_the_waiting_list(new_page, sign_in, team):
    _guild, people, _template, _journey = team
    offer = shadowing_offer_create(
        host=people["sara"], team="Wijkteam Noord", title="Kom kijken hoe Wijkteam Noord werkt",
        description="Huisbezoeken en het teamoverleg.", location="Buurthuis De Linde",
    )  # fmt: skip
    start = timezone.now() + timedelta(days=7)
    slot = shadowing_slot_add(
        offer_id=offer.pk, actor=people["sara"], start=start, end=start + timedelta(hours=6),
        capacity=1, zone="Europe/Amsterdam",
    )  # fmt: skip
    shadowing_book(slot_id=slot.pk, user=people["bob"])
    page = new_page()
    sign_in(page, people["nina"])
    visit(page, "/shadowing/")
    with navigation(page):
        page.get_by_role("link", name="Kom kijken hoe Wijkteam Noord werkt").first.click()
    shoot(page, "shadowing-offer-nl")
    with navigation(page):
        page.get_by_role("button", name="Zet me op de wachtlijst").click()
    expect(page.get_by_text("je staat als nummer 1 op de wachtlijst")).to_be_visible()
    rsvp = Rsvp.objects.get(session=slot.session, user=people["nina"])
    assert (rsvp.status, rsvp.position) == ("waitlisted", 1)


def test_a_statement_is_made_and_verified_without_an_account(new_page, sign_in, team):
    _guild, people, _template, _journey = team
    people["nina"].language = "en"
    people["nina"].save(update_fields=["language"])
    page = new_page(locale="en-GB")
    sign_in(page, people["nina"])
    visit(page, "/me/learning/")
    page.get_by_label("From").fill(f"{date.today().year}-01-01")
    page.get_by_label("Until").fill(date.today().isoformat())
    with navigation(page):
        page.get_by_role("button", name="Make a statement").click()
    expect(page.get_by_text("Your statement is ready to download.")).to_be_visible()
    shoot(page, "record-en")
    href = page.get_by_role("link", name="Verification page").get_attribute("href")
    assert Statement.objects.filter(user=people["nina"]).count() == 1

    register = new_page(locale="nl-NL")
    visit(register, href)
    expect(
        register.get_by_role("status").filter(has_text="Deze verklaring is echt")
    ).to_be_visible()
    shoot(register, "verify-nl")
    visit(register, href[:-3] + "xx/", status=404)
    expect(register.get_by_role("heading", name="Verklaring niet geldig")).to_be_visible()
