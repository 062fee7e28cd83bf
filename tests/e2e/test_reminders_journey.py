"""Reminders in the browser: choosing one's reminders, the one-click unsubscribe page
opened from a digest, a coordinator's message and the staff's outbox. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from communities.mail.models import OutboxMessage
from events.models import Announcement
from events.reminders.selectors import preferences_of
from events.reminders.services.preferences import unsubscribe_token
from tests.e2e.browser import navigation, visit
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OutboxMessageFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    guild = CommunityFactory(name="Python-gilde", slug="python-gilde")
    mia = UserFactory(email="mia@example.org", display_name="Mia Member", language="en")
    cora = UserFactory(email="cora@example.org", display_name="Cora", language="en")
    MembershipFactory(user=mia, community=guild)
    MembershipFactory(user=cora, community=guild, role="coordinator")
    return guild, mia, cora


def test_choosing_reminders_on_me(new_page, sign_in, people):
    _guild, mia, _cora = people
    page = new_page(locale="en-GB")
    sign_in(page, mia)
    visit(page, "/me/")
    with navigation(page):
        page.get_by_role("link", name="Reminders and notifications").click()
    page.get_by_label("First reminder before a session").select_option("2880")
    page.get_by_label("New sessions in my communities").select_option("digest")
    with navigation(page):
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your reminder preferences have been saved.")).to_be_visible()
    prefs = preferences_of(mia)
    assert (prefs.first_before, prefs.second_before, prefs.new_sessions) == (2880, 60, "digest")


def test_the_unsubscribe_link_asks_before_it_answers(new_page, people):
    _guild, mia, _cora = people
    page = new_page(locale="en-GB")
    visit(page, f"/unsubscribe/{unsubscribe_token(user=mia, preference='digest')}/")
    assert preferences_of(mia).digest is True  # opening the link changed nothing
    with navigation(page):
        page.get_by_role("button", name="Yes, unsubscribe").click()
    expect(
        page.get_by_role("status").filter(has_text="no longer gets the weekly digest")
    ).to_be_visible()
    assert preferences_of(mia).digest is False


def test_a_coordinator_writes_to_the_members(new_page, sign_in, people):
    guild, mia, cora = people
    page = new_page(locale="en-GB")
    sign_in(page, cora)
    visit(page, f"/communities/{guild.slug}/")
    with navigation(page):
        page.get_by_role("link", name="Write to the members").click()
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Message").fill("We meet in 3.14 on Tuesday.")
    with navigation(page):
        page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message goes out to 1 person.").first).to_be_visible()
    assert Announcement.objects.get().recipients == 1
    assert OutboxMessage.objects.get(kind="announcement").recipient == mia


def test_staff_send_a_failed_message_again(new_page, sign_in, transactional_db):
    staff = StaffFactory(email="staff@example.org", language="en")
    failed = OutboxMessageFactory(kind="digest", state="failed", last_error="SMTPDataError: 550")
    page = new_page(locale="en-GB")
    sign_in(page, staff)
    visit(page, "/organisation/outbox/")
    expect(page.get_by_text("SMTPDataError: 550")).to_be_visible()
    with navigation(page):
        page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The message is queued to be sent again.")).to_be_visible()
    failed.refresh_from_db()
    assert failed.state == "pending"
