"""Erasure leaves nothing behind: a person's name, address, id and a string only they wrote are
planted everywhere they can write, the account is erased, and every text column of every
table is searched (tests/personal_data_traces.py). The only hits allowed are the ones the
product promises to keep: a shared takeaway stays, anonymised, with the words its author wrote.

"Wie weet wat" is planted too: her own unanswered question, her (not accepted) answer to
Otto's question, which its search text must forget, and her answer to a survey.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue, outbox_retry
from communities.models import Community, Membership, User
from communities.personal_data import REGISTRY, personal_data_export
from communities.services.accounts import account_erase, approval_request_notify
from communities.services.memberships import membership_request
from events.models import Takeaway
from events.sessions.services.rsvp import rsvp_set
from knowledge.services.questions import answer_post, question_ask
from knowledge.services.surveys import survey_create, survey_respond
from learning.ambassadors.services import newcomer_welcome
from learning.articles.services import article_create, article_file_add, article_update
from tests.events.festivals import festival_people
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OutboxMessageFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)
from tests.intervision import people as intervision_people
from tests.learning.articles_matrix_world import PNG
from tests.personal_data_traces import traces

PERSON_ID = 7314159  # distinctive, so a search for the id cannot hit other numbers
EMAIL = "ilse.traceable@example.org"
NAME = "Ilse Traceable"
UNIQUE = "qz7w-only-ilse-wrote-this"


@pytest.fixture
def world(postgres, coordinator, community, staff):
    person = UserFactory(pk=PERSON_ID, email=EMAIL, display_name=NAME, team=f"Team {UNIQUE}")
    other = UserFactory(email="otto@example.org", display_name="Otto Other")
    guild = CommunityFactory(name="Architectuurgilde", join_policy=Community.JoinPolicy.APPROVAL)
    MembershipFactory(user=coordinator, community=guild, role="coordinator")
    MembershipFactory(user=person, community=community)
    session = SessionFactory(community=community, title="Pytest fixtures", hosts=[coordinator])
    # She logged in twelve times (browsers, phones); Otto once.
    for _n in range(12):
        Client().force_login(person)
    Client().force_login(other)
    # A request to join with her own words: the coordinators get a mail with it.
    membership_request(
        user=person, community=guild, motivation=f"Ik ben {NAME} ({EMAIL}) en {UNIQUE}."
    )
    # She answered going: a calendar invitation to her address.
    rsvp_set(session_id=session.pk, user=person, status="going")
    RsvpFactory(user=other, session=session)
    # Her takeaways: a private one and one shared with the community.
    private = TakeawayFactory(
        session=session, author=person, owner=person, title=f"Privé {UNIQUE}",
        body=f"{UNIQUE} {NAME}", visibility="private",
    )  # fmt: skip
    shared = TakeawayFactory(
        session=session, author=person, owner=person, title="Fixtures compose",
        body=f"Tip: {UNIQUE}", visibility="community",
    )  # fmt: skip
    # Mail: a welcome, a message that failed with her address in the server's answer, an
    # invitation sent to her address before she had an account, staff asked to approve her.
    outbox_enqueue(dedupe_key="welcome:ilse", kind="welcome", template="welcome", recipient=person)
    OutboxMessageFactory(
        recipient=person, to_email=EMAIL, state="failed", kind="digest",
        last_error=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'mailbox full')}}",
    )  # fmt: skip
    OutboxMessageFactory(
        to_email=EMAIL.upper(), kind="invitation", subject=f"{coordinator.name} invites you",
        body_text=f"Hello {EMAIL}", state="sent", sent_at=timezone.now(),
    )  # fmt: skip
    User.objects.filter(pk=PERSON_ID).update(awaiting_approval=True)
    person.refresh_from_db()
    approval_request_notify(user=person)
    User.objects.filter(pk=PERSON_ID).update(awaiting_approval=False)
    person.refresh_from_db()
    # Staff changed her account in the admin.
    LogEntry.objects.create(
        user=staff, content_type=ContentType.objects.get_for_model(User),
        object_id=str(PERSON_ID), object_repr=str(person), action_flag=CHANGE,
        change_message=f"Changed address to {EMAIL}",
    )  # fmt: skip
    # She wrote a knowledge article (shared with the community, like a shared takeaway), saved a
    # second version, attached a file; as its ambassador she welcomed Otto (mail naming her).
    MembershipFactory(user=other, community=community, joined_at=timezone.now())
    Membership.objects.filter(user=person, community=community).update(role="ambassador")
    article = article_create(
        author=person, community=community, title="Releasen", body=f"Stap 1: {UNIQUE}"
    )
    article_update(
        article_id=article.pk, user=person, title="Releasen", body=f"Stap 1 en 2: {UNIQUE}",
        kind="howto", review_months=12, note="stap 2",
    )  # fmt: skip
    article_file_add(article_id=article.pk, user=person, name="schema.png", data=PNG)
    newcomer_welcome(
        community=community,
        actor=person,
        membership_id=Membership.objects.get(user=other, community=community).pk,
    )
    # Everything intervision and festivals keep about a person.
    intervision_people.plant(person, other)
    festival_people.plant(person, other)
    # Wie weet wat: her question nobody answered, her answer to Otto's question (not accepted:
    # it goes, and the question's search text forgets it), her answer to a survey.
    question_ask(author=person, title=f"Vraag van {NAME}", body=UNIQUE, community=community)
    ottos = question_ask(author=other, title="Vraag van Otto", community=community)
    answer_post(question_id=ottos.pk, author=person, body=f"{UNIQUE}, groet {NAME}")
    survey = survey_create(
        actor=coordinator, community=community, title="Wat leren we?", topics="A\nB"
    )
    survey_respond(
        survey_id=survey.pk, user=person, scores={survey.topics.first().pk: 4}, comment=UNIQUE
    )
    # Mail to someone else that does not name her stays as it is.
    untouched = OutboxMessageFactory(
        recipient=other, to_email=other.email, subject="Welkom, Otto", body_text="Hallo Otto"
    )
    return {"person": person, "other": other, "shared": shared, "private": private,
            "untouched": untouched}  # fmt: skip


NEEDLES = [EMAIL, NAME, UNIQUE, str(PERSON_ID)]
# What the product keeps on purpose: the shared takeaway, without its author, as written; her
# article (now a coordinator's) and its two versions, without their author, as written.
KEPT = Counter(
    {
        ("events_takeaway", "body", UNIQUE): 1,
        ("learning_article", "body", UNIQUE): 1,
        ("learning_articleversion", "body", UNIQUE): 2,
    }
)


def hits() -> Counter:
    return Counter((table, column, needle) for table, column, needle, _excerpt in traces(NEEDLES))


def test_the_search_sees_every_place_before_erasure(world):
    """Not vacuous: before erasure the person is found in sessions, mail, profile, requests,
    takeaways and the admin log."""
    found = hits()
    tables = {table for table, _column, _needle in found}
    assert {
        "django_session",
        "communities_outboxmessage",
        "communities_user",
        "communities_membership",
        "events_takeaway",
        "django_admin_log",
        "account_emailaddress",
    } <= tables
    assert found[("django_session", "session_data", str(PERSON_ID))] == 12
    for column in ("subject", "body_text", "body_html", "calendar", "last_error", "dedupe_key"):
        assert any(
            (table, col) == ("communities_outboxmessage", column) for table, col, _n in found
        ), column


def test_account_erase_leaves_no_trace_in_any_table(world):
    outbox_before = OutboxMessage.objects.count()

    account_erase(user=world["person"])

    assert hits() == KEPT, sorted(traces(NEEDLES))
    # The outbox keeps its rows for the counts; what was waiting will not be sent.
    # The withdrawal that runs first writes the CANCEL of their calendar entry; addressed to
    # the erased person, it is redacted and skipped like the rest of their mail.
    assert OutboxMessage.objects.count() == outbox_before + 1
    cancel = OutboxMessage.objects.latest("pk")
    assert (cancel.kind, cancel.state, cancel.subject, cancel.body_text) == (
        "calendar_cancel",
        OutboxMessage.State.SKIPPED,
        "(erased)",
        "",
    )
    kept = Takeaway.objects.get(pk=world["shared"].pk)
    assert (kept.author_id, kept.body) == (None, f"Tip: {UNIQUE}")
    assert not Takeaway.objects.filter(pk=world["private"].pk).exists()
    # Otto's session and mail are untouched.
    assert Session.objects.count() == 1
    untouched = OutboxMessage.objects.get(pk=world["untouched"].pk)
    assert (untouched.subject, untouched.body_text, untouched.state) == (
        "Welkom, Otto",
        "Hallo Otto",
        "pending",
    )


def test_redacted_mail_keeps_kind_state_and_dates_for_the_counts(world):
    person = world["person"]
    rows = OutboxMessage.objects.exclude(pk=world["untouched"].pk)
    before = {m.pk: (m.kind, m.state, m.due_at, m.sent_at) for m in rows}

    account_erase(user=person)

    after = {
        m.pk: (m.kind, m.state, m.due_at, m.sent_at, m.subject, m.body_text, m.skip_reason)
        for m in OutboxMessage.objects.filter(pk__in=before)
    }
    named = {pk for pk, row in after.items() if row[4] == "(erased)"}
    assert named  # the rows that named her
    for pk in named:
        kind, state, due_at, sent_at = before[pk]
        was_waiting = state in ("pending", "sending")
        assert after[pk] == (
            kind,
            "skipped" if was_waiting else state,
            due_at,
            sent_at,
            "(erased)",
            "",
            "The person it was for or about deleted their account." if was_waiting else "",
        )
    # Staff cannot send a redacted row again (it has no address and no text).
    assert outbox_retry(message_ids=list(named)) == 0
    kinds = Counter(after[pk][0] for pk in named)
    assert kinds["join_request"] == 1  # to the coordinator, naming her
    assert kinds["approval_request"] == 1  # to staff, naming her
    assert kinds["invitation"] == 1  # to her address, before she had an account


def test_erasure_without_the_outbox_and_session_steps_is_caught(world, monkeypatch):
    """Negative control: erasure as it was (outbox rows of the person cascaded away, other
    people's mail naming her kept, sessions kept) fails the search."""
    monkeypatch.setitem(REGISTRY, "messages", REGISTRY["messages"].__class__(
        "messages", OutboxMessage, ("recipient",), REGISTRY["messages"].export, "cascade"
    ))  # fmt: skip
    monkeypatch.delitem(REGISTRY, "login_sessions")

    account_erase(user=world["person"])

    found = hits()
    assert found != KEPT
    assert found[("django_session", "session_data", str(PERSON_ID))] == 12
    assert found[("communities_outboxmessage", "body_text", UNIQUE)] == 1  # the join request


def test_export_holds_the_text_of_mail_sent_to_the_person_within_retention(world, time_machine):
    person = world["person"]
    old = OutboxMessageFactory(recipient=person, to_email=EMAIL, body_text="Oud bericht")
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    messages = personal_data_export(user=person)["messages"]

    bodies = {row["kind"]: row["body"] for row in messages if row["kind"] != "test"}
    assert bodies["welcome"].startswith(f"Hallo {NAME},\n")
    assert f"{EMAIL}" in bodies["invitation"]  # addressed to her address, no account link
    assert [row["body"] for row in messages if row["kind"] == "test"] == [None]  # past 90 days
    assert len(personal_data_export(user=person)["login_sessions"]) == 12
