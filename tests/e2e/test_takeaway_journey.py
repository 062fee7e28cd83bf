"""Takeaways in the browser: a member lands on the prefilled capture form (as from the prompt
mail), saves a takeaway, finds it by searching with another form of the word, marks another
one helpful; the coordinator opens the insights with their SVG charts and tables. Every page
passes axe-core's WCAG 2.1 A/AA rules and the CSP (see tests/e2e/browser.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Membership
from events.models import Takeaway
from tests.e2e.browser import navigation, visit
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def held_session(transactional_db):
    guild = CommunityFactory(name="Python-gilde", slug="python-gilde")
    mia = UserFactory(email="mia@example.org", display_name="Mia Member", language="en")
    cora = UserFactory(email="cora@example.org", display_name="Cora Coordinator", language="en")
    MembershipFactory(user=mia, community=guild)
    MembershipFactory(user=cora, community=guild, role=Membership.Role.COORDINATOR)
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        community=guild, title="Testing in Python", start=start, end=start + timedelta(hours=1)
    )
    RsvpFactory(session=session, user=mia, status="going", attended=True)
    TakeawayFactory(
        session=session,
        author=cora,
        owner=cora,
        title="Small fixtures compose",
        visibility="organisation",
        review_due=timezone.localdate() + timedelta(days=90),
    )
    return session, mia, cora


def test_capture_search_helpful_and_insights(new_page, sign_in, held_session):
    session, mia, cora = held_session
    page = new_page(locale="en-GB")
    sign_in(page, mia)

    visit(
        page,
        f"/sessions/{session.pk}/takeaways/new/?title=We+tested+the+migration+first&tags=migrations",
    )
    expect(page.get_by_label("What did you learn that would help a colleague?")).to_have_value(
        "We tested the migration first"
    )
    page.get_by_label("Tell a bit more").fill("A copy of production, *before* the release.")
    with navigation(page):
        page.get_by_role("button", name="Save takeaway").click()
    expect(page.locator("h1")).to_have_text("We tested the migration first")

    visit(page, "/takeaways/?q=testing")
    expect(page.locator(".card-list")).to_contain_text("We tested the migration first")

    visit(page, f"/takeaways/{Takeaway.objects.get(author=cora).pk}/")
    with navigation(page):
        page.get_by_role("button", name="This helped me").click()
    expect(page.locator("#helpful-heading + p")).to_have_text("1 person found this helpful.")

    coordinator = new_page(locale="en-GB")
    sign_in(coordinator, cora)
    visit(coordinator, "/communities/python-gilde/insights/")
    # One session so far: every figure has its table, only those with two values or more a chart.
    expect(coordinator.locator("table.data-table")).to_have_count(5)
    expect(coordinator.locator("svg.chart")).to_have_count(2)
    # The tables stand beside the charts, open.
    expect(coordinator.locator("table.data-table").first).to_be_visible()
