"""The staff outbox page while the mail server is not answering, in Dutch and English, on a
laptop and a phone: the notice is there, the page passes axe, and a screenshot of each is kept
in the test's temporary directory for a person to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.mail.checks import SESSION_STARTED
from communities.mail.circuit import outbox_circuit_trip
from tests.e2e.browser import visit
from tests.factories import OutboxMessageFactory, StaffFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NOTICE = {
    "nl": "antwoordt de mailserver niet",
    "en": "the mail server is not answering",
}


@pytest.fixture
def outage(transactional_db):
    outbox_circuit_trip(
        error=ConnectionRefusedError(111, "Connection refused"),
        now=timezone.now() - timedelta(hours=3),
    )
    OutboxMessageFactory.create_batch(4, due_at=timezone.now() - timedelta(hours=2))
    OutboxMessageFactory.create_batch(
        2, kind="reminder_before", state="skipped", skip_reason=SESSION_STARTED
    )
    OutboxMessageFactory(kind="digest", state="failed", last_error="SMTPDataError: 550 no")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_outbox_page_during_an_outage(new_page, sign_in, outage, language, viewport, tmp_path):
    staff = StaffFactory(email=f"staff-{language}@example.org", language=language)
    page = new_page(locale=f"{language}-NL", viewport=VIEWPORTS[viewport])
    sign_in(page, staff)

    visit(page, "/organisation/outbox/")

    notice = page.locator("#mail-server-down")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(NOTICE[language])
    expect(notice).to_contain_text("4")
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / f"outbox-outage-{language}-{viewport}.png", full_page=True)
