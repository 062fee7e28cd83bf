"""The first-invitation journey, counted: a coordinator creates a community, plans a monthly
brown-bag series and invites two colleagues in at most 15 actions; each colleague opens the
invitation mail and joins the community and the series in at most 2.

An action is a click, a fill, a tick or a choice in a list (``Counter``); opening the mail's
link counts for the invitee too. The mails are the ones the real SMTP server received (the
outbox's sweep, as beat runs it, sends them). Every page is checked by axe-core
(tests/e2e/conftest.py) and the whole journey is done with the keyboard-reachable controls
Playwright finds by role and label."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from communities.mail.tasks import outbox_sweep
from communities.models import Community, Invitation, Membership
from events.models import Rsvp, Series, SeriesRsvp
from tests.e2e.browser import navigation, visit
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser
INVITATION_LINK = re.compile(r"https?://[^\s]+(/invitations/[^/\s]+/)")


@pytest.fixture
def mail_to_sink(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


class Counter:
    """Clicks, fills, ticks and choices one person makes; navigation that follows is waited for
    and its page checked."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.actions: list[str] = []

    def click(self, target: Locator, what: str, *, navigates: bool = False) -> None:
        self.actions.append(f"click {what}")
        if navigates:
            with navigation(self.page):
                target.click()
        else:
            target.click()

    def fill(self, target: Locator, value: str, what: str) -> None:
        self.actions.append(f"fill {what}")
        target.fill(value)

    def check(self, target: Locator, what: str) -> None:
        self.actions.append(f"tick {what}")
        target.check()

    def open(self, url: str, what: str) -> None:
        self.actions.append(f"open {what}")
        visit(self.page, url)


def text_of(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def test_first_invitation_in_15_coordinator_actions_and_2_per_invitee(
    new_page, sign_in, mail_to_sink, transactional_db
):
    cora = StaffFactory(email="cora@example.org", display_name="Cora Coördinator", language="en")
    ana = UserFactory(email="ana@example.org", display_name="Ana Analist", language="en")
    bas = UserFactory(email="bas@example.org", display_name="Bas Beheerder", language="en")
    first_day = timezone.localdate() + timedelta(days=9)

    page = new_page(locale="en-GB")
    sign_in(page, cora)
    coordinator = Counter(page)
    visit(page, "/communities/")
    coordinator.click(page.get_by_role("link", name="New community"), "new", navigates=True)
    coordinator.fill(page.get_by_label("Name", exact=True), "Data-lunch", "name")
    coordinator.click(page.get_by_role("button", name="Create community"), "create", navigates=True)
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    expect(page.get_by_role("link", name="Invite people")).to_be_visible()
    coordinator.click(
        page.locator(".first-steps").get_by_role("link", name="Plan your first session"),
        "plan",
        navigates=True,
    )

    # The few fields that matter are on view; the time zone is the organisation's already.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Amsterdam")
    expect(page.get_by_label("Seats in the room")).to_be_hidden()
    coordinator.fill(page.get_by_label("Title"), "Brown-bag: data in de praktijk", "title")
    coordinator.fill(page.get_by_label("Date", exact=True), first_day.isoformat(), "date")
    coordinator.fill(page.get_by_label("Start time"), "12:00", "start time")
    coordinator.fill(page.get_by_label("Location"), "Zaal 3", "location")
    coordinator.click(page.get_by_text("Repeat", exact=True), "open repeat")
    coordinator.check(page.get_by_label("Repeats (a series)"), "repeats")
    coordinator.check(page.get_by_label("monthly on the Nth weekday"), "monthly")
    coordinator.fill(page.get_by_label("Number of sessions", exact=True), "6", "count")
    coordinator.click(page.get_by_role("button", name="Schedule"), "schedule", navigates=True)

    series = Series.objects.get()
    made = series.occurrences.count()
    assert urlsplit(page.url).path == f"/series/{series.pk}/"
    expect(page.locator("#messages")).to_contain_text(
        f"The series has been scheduled: {made} sessions are on the calendar."
    )
    expect(page.locator("#messages")).to_contain_text(
        f"The other {6 - made} sessions appear by themselves once they are within 120 days."
    )
    coordinator.fill(
        page.get_by_label("E-mail addresses"),
        "Ana Analist <ana@example.org>, bas@example.org",
        "addresses",
    )
    coordinator.click(page.get_by_role("button", name="Send invitations"), "send", navigates=True)
    expect(page.locator("#messages")).to_contain_text("2 invitations have been sent.")

    assert len(coordinator.actions) <= 15, coordinator.actions
    assert len(coordinator.actions) == 15
    community = Community.objects.get(name="Data-lunch")
    assert sorted(Invitation.objects.values_list("email", "state")) == [
        ("ana@example.org", "pending"),
        ("bas@example.org", "pending"),
    ]

    # The invitations, as the real SMTP server received them.
    outbox_sweep()
    mails = {message["To"]: message for message in mail_to_sink.wait_for(2)}
    assert sorted(mails) == ["ana@example.org", "bas@example.org"]

    for person in (ana, bas):
        invitee_page = new_page(locale="en-GB")
        sign_in(invitee_page, person)
        invitee = Counter(invitee_page)
        link = INVITATION_LINK.search(text_of(mails[person.email])).group(1)
        invitee.open(link, "the mail's link")
        expect(invitee_page.get_by_label(re.compile("Going to the series"))).to_be_checked()
        invitee.click(
            invitee_page.get_by_role("button", name="Accept the invitation"),
            "accept",
            navigates=True,
        )
        assert urlsplit(invitee_page.url).path == f"/series/{series.pk}/"
        expect(invitee_page.locator("#series-going")).to_have_attribute("aria-pressed", "true")
        assert len(invitee.actions) <= 2, invitee.actions
        assert Membership.objects.get(user=person, community=community).state == "active"
        assert SeriesRsvp.objects.get(user=person, series=series).status == "going"
        assert list(
            Rsvp.objects.filter(user=person).values_list("status", flat=True).distinct()
        ) == ["going"]
        assert Rsvp.objects.filter(user=person).count() == made
