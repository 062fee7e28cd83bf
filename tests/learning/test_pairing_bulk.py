"""A pairing round in bulk: a constant number of queries whatever the number of people, and
mail filled into moulds that reads exactly as rendering it for each person would."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from communities.mail.models import OutboxMessage
from communities.mail.rendering import html_from_text
from communities.mail.services import OutboxDraft, outbox_enqueue_many
from communities.models import Membership, User
from learning.mail import MailMould, render_plain, slot
from learning.pairing.models import Pair, PairingOptIn
from learning.pairing.services import pairing_programme_create, pairing_round_run
from tests.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _programme(size: int, *, slug: str):
    community = CommunityFactory(slug=slug)
    coordinator = UserFactory()
    Membership.objects.create(user=coordinator, community=community, role="coordinator")
    programme = pairing_programme_create(
        actor=coordinator,
        community=community,
        name=f"Koffie {slug}",
        cadence_weeks=2,
        first_round_on=date(2027, 3, 1),
    )
    people = User.objects.bulk_create(
        User(
            email=f"{slug}{n}@example.org",
            display_name=f"Persoon {n}",
            team=f"T{n % 3}" if n % 4 else "",
            language="en" if n % 2 else "nl",
        )
        for n in range(size)
    )
    Membership.objects.bulk_create(Membership(user=p, community=community) for p in people)
    PairingOptIn.objects.bulk_create(PairingOptIn(programme=programme, user=p) for p in people)
    return programme


def test_a_round_takes_the_same_number_of_queries_for_10_and_100_people(time_machine):
    time_machine.move_to(NOW, tick=False)
    counts = {}
    for size in (10, 100):
        programme = _programme(size, slug=f"p{size}")
        with CaptureQueriesContext(connection) as captured:
            round_ = pairing_round_run(programme_id=programme.pk)
        counts[size] = len(captured)
        assert Pair.objects.filter(round=round_).count() == size // 2
        assert OutboxMessage.objects.filter(dedupe_key__startswith="pairing:").count() == (
            10 if size == 10 else 110
        )
    assert counts[10] == counts[100]
    assert counts[10] == 13  # 11 statements between the savepoint and its release


def test_every_calendar_invitation_names_its_recipient_and_the_pair_uid(time_machine):
    time_machine.move_to(NOW, tick=False)
    programme = _programme(7, slug="cal")
    round_ = pairing_round_run(programme_id=programme.pk)
    pairs = list(Pair.objects.filter(round=round_).order_by("pk"))
    assert sorted(len(p.member_ids) for p in pairs) == [2, 2, 3]
    mails = OutboxMessage.objects.filter(kind="pairing_introduction").select_related("recipient")
    assert mails.count() == 7
    by_person = {pk: pair for pair in pairs for pk in pair.member_ids}
    for mail in mails:
        pair = by_person[mail.recipient_id]
        assert mail.dedupe_key == f"pairing:{pair.pk}:{mail.recipient_id}"
        event = Calendar.from_ical(mail.calendar).walk("VEVENT")[0]
        assert str(event["UID"]) == f"pairing-{pair.pk}@kennisplein"
        assert str(event["ATTENDEE"]) == f"mailto:{mail.recipient.email}"
        names = dict(User.objects.filter(pk__in=pair.member_ids).values_list("pk", "display_name"))
        others = [names[pk] for pk in pair.member_ids if pk != mail.recipient_id]
        word = "Coffee with" if mail.language == "en" else "Koffie met"
        assert str(event["SUMMARY"]) == f"{word} {', '.join(others)}"
        assert mail.subject == f"{word} {', '.join(others)}"
        assert event.decoded("DTSTART") == pair.slot_start


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("shape", [(True,), (False,), (True, False), (False, True)])
def test_a_filled_mould_reads_as_the_message_rendered_for_that_person(language, shape):
    programme = SimpleNamespace(name="Koffie & <thee>")
    real_others = [
        SimpleNamespace(
            name=f"Ann {n} O'Neil & <b>",
            team=f"Team {n} & co" if has_team else "",
            email=f"ann{n}@example.org",
        )
        for n, has_team in enumerate(shape)
    ]
    recipient = SimpleNamespace(name='Jan "de" Vries & zn')
    when = "woensdag 3 maart 2027, 10:00"
    real = render_plain(
        template="pairing_introduction",
        context={
            "recipient": recipient,
            "others": real_others,
            "other_names": [o.name for o in real_others],
            "programme": programme,
            "when": when,
            "url": "/pairing/",
        },
        language=language,
    )
    mould = MailMould(
        template="pairing_introduction",
        context={
            "recipient": SimpleNamespace(name=slot("recipient")),
            "others": [
                SimpleNamespace(
                    name=slot(f"name{n}"),
                    team=slot(f"team{n}") if has_team else "",
                    email=slot(f"email{n}"),
                )
                for n, has_team in enumerate(shape)
            ],
            "other_names": [slot(f"name{n}") for n in range(len(shape))],
            "programme": programme,
            "when": slot("when"),
            "url": "/pairing/",
        },
        language=language,
    )
    values = {"recipient": recipient.name, "when": when}
    for n, other in enumerate(real_others):
        values |= {f"name{n}": other.name, f"team{n}": other.team, f"email{n}": other.email}
    filled = mould.fill(values)
    assert filled.subject == real.subject
    assert filled.text == real.text
    assert filled.html == html_from_text(text=real.text, subject=real.subject, language=language)
    assert "ann0@example.org</a>" in filled.html


def test_enqueueing_many_twice_stores_each_message_once():
    person = UserFactory(email="veel@example.org")
    rendered = render_plain(
        template="pairing_introduction_subject".removesuffix("_subject"),
        context={"recipient": person, "others": [], "programme": SimpleNamespace(name="P")},
        language="nl",
    )
    drafts = [
        OutboxDraft(
            dedupe_key=f"bulk:{n}",
            kind="pairing_introduction",
            recipient=person,
            rendered=rendered,
            language="nl",
            due_at=NOW,
        )
        for n in range(3)
    ]
    assert outbox_enqueue_many(drafts=drafts) == 3
    assert outbox_enqueue_many(drafts=drafts) == 0
    rows = OutboxMessage.objects.filter(dedupe_key__startswith="bulk:")
    assert rows.count() == 3
    assert len({row.message_id for row in rows}) == 3
    assert all(row.body_html.startswith("<!") or "<html" in row.body_html for row in rows)
