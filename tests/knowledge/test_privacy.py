"""A private community's questions, sessions and takeaways never reach someone who may not see
them: not in pages, the question list and search, the global search, "wie weet wat", the
evidence next to a person, notifications, the digest or mail."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.reminders.selectors import default_preferences, digest_content
from events.takeaways.services import tags_from_names
from knowledge.models import Notification
from knowledge.selectors.notifications import digest_section
from knowledge.services.questions import answer_post, question_ask
from tests.factories import (
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    TakeawayHelpfulFactory,
    UserFactory,
)
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.django_db
SECRET = "Kwetsbaarheidsscan"
# What the planted rows say besides the topic (a search page repeats the query itself).
PLANTED = ("Wie doet onze", "in de praktijk", "begin klein", "deel 2", "elk kwartaal")


@pytest.fixture
def planted(member, other_user, community, private_community, coordinator):
    """Mia (member of both) asks in the private community; Eva, an expert in it, hosted a
    private session and wrote a takeaway colleagues found helpful; all of it on SECRET."""
    MembershipFactory(user=member, community=private_community)
    MembershipFactory(user=member, community=community)
    eva = UserFactory(email="eva@example.org", display_name="Eva Expert")
    MembershipFactory(user=eva, community=private_community)
    opt_in(eva, SECRET)
    past = timezone.now() - timedelta(days=3)
    session = SessionFactory(
        community=private_community, title=f"{SECRET} in de praktijk", start=past,
        end=past + timedelta(hours=1),
    )  # fmt: skip
    session.hosts.set([eva])
    upcoming = SessionFactory(community=private_community, title=f"{SECRET} deel 2")
    takeaway = TakeawayFactory(
        session=session, author=eva, owner=eva, title=f"{SECRET}: begin klein",
        visibility="community", review_due=timezone.localdate() + timedelta(days=90),
    )  # fmt: skip
    takeaway.tags.set(tags_from_names([SECRET]))
    RsvpFactory(session=session, user=member, status="going")
    TakeawayHelpfulFactory(takeaway=takeaway, user=member)
    question = question_ask(
        author=member, title=f"Wie doet onze {SECRET}?", tags=SECRET, community=private_community
    )
    answer_post(question_id=question.pk, author=eva, body=f"Ik: {SECRET} elk kwartaal.")
    # An outsider who lists the same topic: the routing must pass them by.
    opt_in(other_user, SECRET, mail=True)
    return {"question": question, "session": session, "upcoming": upcoming, "eva": eva}


def test_outsider_gets_404_on_the_private_question(client, other_user, planted):
    client.force_login(other_user)
    assert client.get(f"/questions/{planted['question'].pk}/").status_code == 404
    response = client.post(
        f"/questions/{planted['question'].pk}/answers/", {"body": "Ik weet het!"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/questions/",
        f"/questions/?q={SECRET}",
        f"/questions/?q={SECRET.lower()[:8]}",  # a prefix
        f"/search/?q={SECRET}",
        f"/experts/?q={SECRET}",
        "/notifications/",
    ],
)
def test_nothing_private_on_the_outsiders_pages(client, other_user, member, planted, path):
    client.force_login(other_user)
    outsider = client.get(path)
    assert outsider.status_code == 200
    assert [text for text in PLANTED if text in outsider.content.decode()] == []
    # The same page shows it to a member: the check above is not vacuous.
    client.force_login(member)
    inside = client.get(path).content.decode()
    if path != "/notifications/":
        assert any(text in inside for text in PLANTED)


def test_outsider_sees_the_expert_without_the_private_evidence(client, other_user, member, planted):
    """Eva is listed (public profile), but what she did in the private community stays there."""
    client.force_login(other_user)
    page = client.get(f"/experts/{planted['eva'].pk}/").content.decode()
    assert "Eva Expert" in page
    assert "gaf 1 sessie" not in page and "aantekeningen nuttig" not in page
    client.force_login(member)
    page = client.get(f"/experts/{planted['eva'].pk}/").content.decode()
    assert "gaf 1 sessie" in page
    assert "1 collega vond de aantekeningen nuttig" in page


def test_private_question_never_routed_to_an_outsider(other_user, planted):
    assert not Notification.objects.filter(user=other_user).exists()
    from communities.mail.models import OutboxMessage  # noqa: PLC0415 -- slow

    assert not OutboxMessage.objects.filter(recipient=other_user).exists()


def test_a_routed_question_leaves_the_digest_when_the_person_left_the_community(
    member, private_community, planted
):
    """The digest re-checks what the person may see at the time it is written."""
    insider = UserFactory(email="insider@example.org")
    membership = MembershipFactory(user=insider, community=private_community)
    opt_in(insider, "pentest")
    question = question_ask(
        author=member, title="Pentest van de app?", tags="pentest", community=private_community
    )
    until = timezone.now() + timedelta(hours=1)
    since = until - timedelta(days=7)
    section = digest_section(insider, since, until)
    assert [item["title"] for item in section["items"]] == ["Pentest van de app?"]
    assert digest_content(user=insider, until=until, prefs=default_preferences())["sections"][0][
        "items"
    ][0]["url"].endswith(f"/questions/{question.pk}/")

    membership.state = "left"
    membership.save(update_fields=["state"])

    assert digest_section(insider, since, until) is None
    assert digest_content(user=insider, until=until, prefs=default_preferences())["sections"] == []


def test_question_search_finds_answers_text_with_dutch_stemming(client, member, planted):
    """'kwartalen' is stemmed like 'kwartaal' in the answer (PostgreSQL 'dutch')."""
    client.force_login(member)
    page = client.get("/questions/?q=kwartalen").content.decode()
    assert f"Wie doet onze {SECRET}?" in page


def test_digest_mail_lists_routed_questions_only_to_who_may_see_them(
    member, other_user, private_community, coordinator, planted, time_machine
):
    time_machine.move_to(datetime(2030, 3, 4, 10, 0, tzinfo=UTC), tick=False)
    until = timezone.now() + timedelta(hours=1)
    assert digest_section(other_user, until - timedelta(days=7), until) is None
