"""A full session in the browser: a member says "going", lands on the waitlist (number 1),
another member declines, and after a reload the first one is going. Every page and every htmx
swap passes axe-core's WCAG 2.1 A/AA rules (see tests/e2e/browser.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.mail.models import OutboxMessage
from events.models import Rsvp
from events.sessions.services.rsvp import rsvp_set
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def full_workshop(transactional_db):
    """A workshop with one seat, taken by Bram; Mia and Bram are members of the guild."""
    guild = CommunityFactory(name="Python-gilde", slug="python-gilde")
    mia = UserFactory(email="mia@example.org", display_name="Mia Member", language="en")
    bram = UserFactory(email="bram@example.org", display_name="Bram Booked", language="en")
    for person in (mia, bram):
        MembershipFactory(user=person, community=guild)
    session = SessionFactory(
        community=guild,
        format="workshop",
        title="Hypothesis hands-on",
        start=timezone.now() + timedelta(days=5),
        location="Leslokaal 1",
        capacity=1,
    )
    rsvp_set(session_id=session.pk, user=bram, status="going")
    return session, mia, bram


def test_waitlisted_member_is_promoted_when_someone_declines(new_page, sign_in, full_workshop):
    session, mia, bram = full_workshop
    url = f"/sessions/{session.pk}/"
    mia_page = new_page(locale="en-GB")
    sign_in(mia_page, mia)

    visit(mia_page, url)
    expect(mia_page.locator("#rsvp-panel")).to_contain_text("0 seats left")
    mia_page.get_by_role("button", name="Join the waiting list").click()
    # htmx swaps the panel in place: no new document.
    status = mia_page.locator("#my-status")
    expect(status).to_contain_text("You are on the waiting list: number 1.")
    expect(mia_page.locator("#messages")).to_contain_text(
        "The session is full: you are on the waiting list, number 1."
    )
    assert_accessible(mia_page)
    assert Rsvp.objects.get(user=mia).status == "waitlisted"

    bram_page = new_page(locale="en-GB")
    sign_in(bram_page, bram)
    visit(bram_page, url)
    expect(bram_page.locator("#my-status")).to_contain_text("You are going.")
    bram_page.get_by_role("button", name="Not going").click()
    expect(bram_page.locator("#my-status")).to_contain_text("You are not going.")
    assert_accessible(bram_page)

    with navigation(mia_page):
        mia_page.reload()
    expect(mia_page.locator("#my-status")).to_contain_text("You are going.")
    expect(mia_page.get_by_role("button", name="Going", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert Rsvp.objects.get(user=mia).status == "going"
    # Mia's promotion is told by her calendar invitation (one mail, method REQUEST).
    assert list(
        OutboxMessage.objects.filter(kind="waitlist_promoted").values_list(
            "to_email", "calendar_method"
        )
    ) == [("mia@example.org", "REQUEST")]


def test_scheduling_and_hosts_pages_pass_axe(new_page, sign_in, full_workshop):
    """The coordinator's pages: schedule form, edit, cancel, attendance; and my agenda."""
    session, _mia, _bram = full_workshop
    cora = UserFactory(email="cora@example.org", display_name="Cora Coordinator", language="en")
    MembershipFactory(user=cora, community=session.community, role="coordinator")
    page = new_page(locale="en-GB", viewport={"width": 360, "height": 740})
    sign_in(page, cora)

    for url in [
        "/communities/python-gilde/",
        "/communities/python-gilde/sessions/new/",
        f"/sessions/{session.pk}/",
        f"/sessions/{session.pk}/edit/",
        f"/sessions/{session.pk}/cancel/",
        f"/sessions/{session.pk}/attendance/",
        "/sessions/",
        "/agenda/",
        f"/agenda/?month={session.start.strftime('%Y-%m')}",
    ]:
        visit(page, url)

    # A form with a mistake answers 400 with the message, still accessible.
    visit(page, "/communities/python-gilde/sessions/new/")
    page.get_by_label("Title").fill("Lightning talks")
    page.get_by_label("Location").fill("Zaal 2")
    with navigation(page, status=400):
        page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#id_start_date_error")).to_contain_text("This field is required.")
