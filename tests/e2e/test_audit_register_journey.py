"""Staff read the audit log and the processing register in the browser, in Dutch and English,
on a laptop and a phone: every page passes axe-core, the filter works from the keyboard, and
screenshots land in var/screenshots/ for a look."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from communities.audit.services import audit_record
from tests.e2e.browser import navigation, visit
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def staff(transactional_db):
    beheer = StaffFactory(email="beheer@example.org", display_name="Bea Beheer", language="nl")
    leaver = UserFactory(email="lea@example.org", display_name="Lea Vertrekker")
    audit_record(actor=beheer, action="person.deactivate", target=leaver)
    audit_record(actor=leaver, action="export.personal_data", target=leaver)
    audit_record(actor=beheer, action="admin.change", target=leaver, detail="team")
    return beheer


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_staff_read_the_audit_log_and_the_register(
    new_page, sign_in, staff, language, size, tmp_path
):
    staff.language = language
    staff.save(update_fields=["language"])
    page = new_page(locale="nl-NL" if language == "nl" else "en-GB", viewport=SIZES[size])
    sign_in(page, staff)
    shots = settings.BASE_DIR / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    visit(page, "/organisation/audit/")
    title = {"nl": "Auditlog", "en": "Audit log"}[language]
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("tbody tr")).to_have_count(3)
    page.screenshot(path=str(shots / f"audit-{language}-{size}.png"), full_page=True)

    # The filter from the keyboard: type a word, Enter submits.
    page.get_by_label({"nl": "Wie of wat", "en": "Who or what"}[language]).fill("lea@")
    with navigation(page):
        page.keyboard.press("Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("lea@example.org")

    visit(page, "/organisation/register/")
    expect(page.locator("h1")).to_have_text(
        {"nl": "Verwerkingsregister", "en": "Processing register"}[language]
    )
    expect(page.locator("section.register-entry").first).to_be_visible()
    assert page.locator("section.register-entry").count() >= 10
    page.screenshot(path=str(shots / f"register-{language}-{size}.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(shots / f"register-{language}-{size}-print.png"), full_page=True)
