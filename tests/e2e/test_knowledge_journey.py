"""Wie weet wat in the browser, by keyboard: an expert lists her topics on her expertise page,
a colleague finds her under "wie weet wat", asks a question, she answers, he accepts it; the
coordinator sees the wishes and a date poll as a grid. In Dutch and English, wide and narrow;
every page passes axe-core's WCAG 2.1 A/AA rules and the CSP (tests/e2e/browser.py).
Screenshots go to var/screenshots/ (not committed)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Membership
from knowledge.models import Question
from knowledge.services.wishes import poll_create, poll_vote, wish_create, wish_interest_set
from tests.e2e.browser import navigation, visit
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {"wide": {"width": 1366, "height": 900}, "narrow": {"width": 390, "height": 844}}


@pytest.fixture
def people(transactional_db):
    guild = CommunityFactory(name="Omgevingsgilde", slug="omgevingsgilde")
    eva = UserFactory(email="eva@example.org", display_name="Eva Expert", language="en")
    tom = UserFactory(email="tom@example.org", display_name="Tom Vrager", language="en")
    cora = UserFactory(email="cora@example.org", display_name="Cora Coordinator")
    for person in (eva, tom):
        MembershipFactory(user=person, community=guild)
    MembershipFactory(user=cora, community=guild, role=Membership.Role.COORDINATOR)
    return guild, eva, tom, cora


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"knowledge-{name}.png"), full_page=True)


@pytest.mark.parametrize(("locale", "size"), [("en-GB", "wide"), ("nl-NL", "narrow")])
def test_expertise_question_answer_by_keyboard(new_page, sign_in, people, locale, size):
    _guild, eva, tom, _cora = people
    english = locale.startswith("en")
    for person in (eva, tom):
        person.language = "en" if english else "nl"
        person.save(update_fields=["language"])
    page = new_page(locale=locale, viewport=SIZES[size])
    sign_in(page, eva)
    visit(page, "/me/expertise/")
    page.get_by_label(
        "Topics I can help with" if english else "Onderwerpen waarmee ik kan helpen"
    ).fill("Omgevingswet, vergunningen")
    page.get_by_label(
        "show me in “wie weet wat” for my topics"
        if english
        else "toon mij in “wie weet wat” voor mijn onderwerpen"
    ).check()
    shot(page, f"expertise-{locale}-{size}")
    with navigation(page):
        page.keyboard.press("Enter")
    expect(page.locator("#messages .message")).to_be_visible()

    other = new_page(locale=locale, viewport=SIZES[size])
    sign_in(other, tom)
    visit(other, "/experts/?q=Omgevingswet")
    expect(other.get_by_role("link", name="Eva Expert")).to_be_visible()
    shot(other, f"experts-{locale}-{size}")
    visit(other, "/questions/new/")
    other.get_by_label("Your question" if english else "Je vraag").fill(
        "Wanneer heb ik een omgevingsvergunning nodig?"
    )
    other.get_by_label("Tags").fill("Omgevingswet")
    with navigation(other):
        other.get_by_role("button", name="Ask" if english else "Vragen").press("Enter")
    question = Question.objects.get()
    assert other.url.endswith(f"/questions/{question.pk}/")

    visit(page, "/notifications/")
    expect(page.get_by_role("link", name=question.title)).to_be_visible()
    shot(page, f"notifications-{locale}-{size}")
    visit(page, f"/questions/{question.pk}/")
    page.get_by_role("textbox", name="Your answer" if english else "Je antwoord").fill(
        "Bij bouwen in een beschermd gebied: kijk in het Omgevingsloket."
    )
    with navigation(page):
        page.get_by_role("button", name="Answer" if english else "Beantwoorden").press("Enter")

    visit(other, f"/questions/{question.pk}/")
    with navigation(other):
        other.get_by_role("button", name="This solved it" if english else "Dit loste het op").press(
            "Enter"
        )
    expect(other.get_by_text("accepted answer" if english else "gekozen antwoord")).to_be_visible()
    shot(other, f"question-{locale}-{size}")
    question.refresh_from_db()
    assert question.accepted_answer is not None


@pytest.mark.parametrize(("locale", "size"), [("nl-NL", "wide"), ("en-GB", "narrow")])
def test_wishes_and_the_poll_grid(new_page, sign_in, people, locale, size):
    guild, eva, tom, cora = people
    wish = wish_create(author=tom, community=guild, title="Brown bag Omgevingswet")
    wish_interest_set(wish_id=wish.pk, user=eva, kind="volunteer", on=True)
    start = timezone.now().replace(hour=11, minute=0, second=0, microsecond=0) + timedelta(days=9)
    poll = poll_create(
        wish_id=wish.pk, actor=cora, format="brown_bag", location="Zaal 4",
        options=[(start, start + timedelta(hours=1)), (start + timedelta(days=1),
                 start + timedelta(days=1, hours=1))],
    )  # fmt: skip
    first = poll.options.order_by("start").first()
    poll_vote(poll_id=poll.pk, user=tom, answers={first.pk: "yes"})
    cora.language = locale[:2]
    cora.save(update_fields=["language"])
    page = new_page(locale=locale, viewport=SIZES[size])
    sign_in(page, cora)
    visit(page, "/wishes/")
    expect(page.get_by_role("link", name="Brown bag Omgevingswet")).to_be_visible()
    shot(page, f"wishes-{locale}-{size}")
    visit(page, f"/wishes/{wish.pk}/")
    expect(page.get_by_role("rowheader", name="Tom Vrager")).to_be_visible()
    shot(page, f"wish-{locale}-{size}")
