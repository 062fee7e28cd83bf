"""Calendar in the browser: the answer link from an invitation mail opened on a device
where nobody is signed in, and the delivery preference on /me/. Every page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.mail.models import OutboxMessage
from communities.models import User
from events.models import Rsvp
from events.sessions.services.rsvp import rsvp_set
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def invited(transactional_db):
    guild = CommunityFactory(name="Python-gilde", slug="python-gilde")
    mia = UserFactory(email="mia@example.org", display_name="Mia Member", language="en")
    MembershipFactory(user=mia, community=guild)
    session = SessionFactory(
        community=guild, title="Hypothesis hands-on", location="Leslokaal 1",
        start=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    rsvp_set(session_id=session.pk, user=mia, status="going")
    return session, mia


def test_the_decline_link_of_an_invitation_asks_before_it_answers(new_page, invited):
    _session, mia = invited
    body = OutboxMessage.objects.get(calendar_method="REQUEST").body_text
    decline = next(line.split()[-1] for line in body.splitlines() if line.startswith("Not going:"))
    path = "/" + decline.split("/", 3)[3]
    page = new_page(locale="en-GB")

    visit(page, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hypothesis hands-on")
    assert_accessible(page)
    assert Rsvp.objects.get(user=mia).status == "going"  # opening the link changed nothing

    with navigation(page):
        page.get_by_role("button", name="No, I'm not going").click()
    expect(
        page.get_by_role("status").filter(has_text="you are no longer on the list")
    ).to_be_visible()
    assert_accessible(page)
    assert Rsvp.objects.get(user=mia).status == "declined"
    assert list(
        OutboxMessage.objects.exclude(calendar="").order_by("id").values_list("calendar_method")
    ) == [("REQUEST",), ("CANCEL",)]


def test_choosing_the_feed_only_on_me(new_page, sign_in, invited):
    _session, mia = invited
    page = new_page(locale="en-GB")
    sign_in(page, mia)
    visit(page, "/me/")
    page.get_by_label("How sessions reach my calendar").select_option("feed")
    with navigation(page):
        page.get_by_role("button", name="Save", exact=True).click()
    assert_accessible(page)
    mia.refresh_from_db()
    assert mia.calendar_delivery == User.CalendarDelivery.FEED
