"""Intervision in the browser: the facilitator runs a short method (Troika Consulting, five
phases) from start to close while a participant follows on a second browser context, sees the
phase changes arrive by polling and adds a question. Every page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.sessions.services.scheduling import SessionDetails
from intervision.models import IntervisionSession, LiveItem, Method
from intervision.services.cases import case_submit
from intervision.services.scheduling import intervision_schedule
from tests.e2e.browser import assert_accessible, navigation, visit
from tests.intervision.conftest import make_group

pytestmark = pytest.mark.browser


@pytest.fixture
def troika(transactional_db):
    group = make_group(name="Intervisie Wijkteam", slug="intervisie-wijkteam")
    for person in group.members:
        person.language = "en"
        person.save(update_fields=["language"])
    start = timezone.now() + timedelta(minutes=5)
    isession = intervision_schedule(
        group=group.community,
        actor=group.facilitator,
        details=SessionDetails(
            title="Intervisie",
            format="intervision",
            start=start,
            end=start + timedelta(hours=1),
            location="Kamer 4",
        ),
        method_id=Method.objects.get(code="troika-consulting", group=None).pk,
    )
    case_submit(
        group=group.community,
        user=group.members[2],
        title="Saying no",
        question="How do I say no to my team lead?",
        pitch="I keep saying yes.",
        urgency=4,
        no_client_data=True,
        isession=isession,
    )
    return group, isession


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_facilitator_runs_troika_while_a_participant_follows(new_page, sign_in, troika):
    group, isession = troika
    pk = isession.session_id
    lead = new_page(locale="en-GB")
    sign_in(lead, group.facilitator)
    visit(lead, f"/intervision/sessions/{pk}/")
    press(lead, "Choose the case now")
    lead.wait_for_load_state()
    assert_accessible(lead)
    expect(lead.locator("#presenter")).to_contain_text(group.members[2].name)
    visit(lead, f"/intervision/sessions/{pk}/console/")
    expect(lead.locator("#case-card")).to_contain_text("How do I say no to my team lead?")

    participant = new_page(locale="en-GB")
    sign_in(participant, group.members[1])
    visit(participant, f"/intervision/sessions/{pk}/follow/")
    expect(participant.locator("#phase-name")).to_contain_text("has not started yet")

    press(lead, "Start the session")  # htmx: the console updates in place
    expect(lead.locator("#phase-name")).to_contain_text("1. Prepare")
    expect(lead.locator("#rule-card")).to_contain_text("What is your challenge?")
    assert_accessible(lead)
    # The participant's view follows by polling, without a reload.
    expect(participant.locator("#phase-name")).to_contain_text("1. Prepare")
    expect(participant.locator("#countdown")).to_be_visible()

    press(lead, "Next phase")
    expect(lead.locator("#phase-name")).to_contain_text("2. Share the challenge")
    press(lead, "Next phase")
    expect(lead.locator("#phase-name")).to_contain_text("3. Clarifying questions")
    expect(participant.locator("#phase-name")).to_contain_text("3. Clarifying questions")
    expect(participant.locator("#rule-card")).to_contain_text("no advice")
    assert_accessible(participant)

    participant.get_by_label("What", exact=True).select_option("question")
    participant.get_by_label("Text").fill("What did you try already?")
    with navigation(participant):
        press(participant, "Add")
    expect(participant.locator("#my-items")).to_contain_text("What did you try already?")

    bas = lead.locator("#turns button", has_text=group.members[1].name)
    bas.click()
    expect(lead.locator("#turns button", has_text=group.members[1].name)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_accessible(lead)

    press(lead, "+1 minute")
    expect(lead.locator("#phase-list li.current")).to_contain_text("of 3.0 min")
    press(lead, "Pause / time-out")
    expect(lead.locator("#paused")).to_be_visible()
    expect(participant.locator("#paused")).to_be_visible()
    press(lead, "Resume")
    expect(lead.locator("#paused")).to_have_count(0)
    for expected in ("4. Consultants generate ideas", "5. What was most valuable?"):
        press(lead, "Next phase")
        expect(lead.locator("#phase-name")).to_contain_text(expected)
    press(lead, "Next phase")
    expect(lead.locator("#phase-name")).to_contain_text("Closing")
    expect(participant.locator("#phase-name")).to_contain_text("Closing")

    # A reload keeps the state: the server owns it.
    with navigation(lead):
        lead.reload()
    expect(lead.locator("#phase-name")).to_contain_text("Closing")

    lead.get_by_label("Theme, anonymised (optional)").fill("Saying no")
    with navigation(lead):
        press(lead, "Close and erase case details")
    expect(lead.locator("#state")).to_contain_text("closed")
    closed = IntervisionSession.objects.get(pk=isession.pk)
    assert (closed.state, closed.theme, LiveItem.objects.count()) == ("closed", "Saying no", 0)
    assert list(closed.runs.values_list("order", flat=True)) == [0, 1, 2, 3, 4]
    assert closed.runs.get(order=2).extended_sec == 60


def test_intervision_pages_pass_axe(new_page, sign_in, troika):
    """The group's other pages, for the facilitator on a small screen and a member."""
    group, isession = troika
    slug, pk = group.community.slug, isession.session_id
    method = Method.objects.get(code="incidentmethode", group=None)
    lead = new_page(locale="en-GB", viewport={"width": 360, "height": 740})
    sign_in(lead, group.facilitator)
    for url in [
        "/intervision/",
        f"/intervision/groups/{slug}/",
        f"/intervision/groups/{slug}/agreement/",
        f"/intervision/groups/{slug}/settings/",
        f"/intervision/groups/{slug}/schedule/",
        f"/intervision/groups/{slug}/methods/{method.pk}/",
        f"/intervision/groups/{slug}/cases/new/",
        f"/intervision/sessions/{pk}/",
        f"/intervision/sessions/{pk}/console/",
        "/intervision/history/",
    ]:
        visit(lead, url)
    visit(lead, f"/intervision/groups/{slug}/methods/{method.pk}/")
    with navigation(lead):
        press(lead, "Copy for the group and adjust")
    expect(lead.get_by_role("button", name="Save changes")).to_be_visible()
    # A case without the privacy confirmation: refused with the message, still accessible.
    visit(lead, f"/intervision/groups/{slug}/cases/new/")
    lead.get_by_label("Title").fill("Something")
    with navigation(lead, status=400):
        press(lead, "Submit the case")
    member = new_page(locale="en-GB")
    sign_in(member, group.members[3])
    visit(member, f"/intervision/sessions/{pk}/")
    visit(member, f"/intervision/sessions/{pk}/follow/")
