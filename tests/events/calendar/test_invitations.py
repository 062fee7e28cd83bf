"""Calendar invitations through the outbox: who gets which REQUEST or CANCEL, when.

Every calendar a test produces goes through check_calendar (icalendar, vobject validate=True,
libical's per-method restriction check, literal VTIMEZONE vs zoneinfo, 75-octet lines).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.services import build_email
from communities.models import User
from communities.services.accounts import calendar_delivery_set
from events.calendar.inbound.tags import reply_address
from events.calendar.services.invitations import invitations_sync_session
from events.models import CalendarDelivery, Rsvp, Session
from events.series.recurrence import Recurrence
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import (
    series_cancel_rest,
    series_create,
    series_split,
    series_update_all,
)
from events.sessions.services.rsvp import rsvp_remove, rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from tests.events.calendar.calendar_checks import check_calendar, unfold
from tests.factories import IntervisionGroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)  # a Wednesday
GOING, MAYBE, DECLINED = "going", "maybe", "declined"


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def people(community):
    people = [
        UserFactory(email=f"p{n}@example.org", display_name=name, language=language)
        for n, (name, language) in enumerate(
            [("Anna Ångström", "nl"), ("Ben", "en"), ("Cas", "nl"), ("Dirk", "en")], start=1
        )
    ]
    for person in people:
        MembershipFactory(user=person, community=community)
    return people


def details(**changes) -> SessionDetails:
    fields = {
        "title": "Type hints, in de praktijk; deel 1",
        "format": "brown_bag",
        "start": START,
        "end": START + timedelta(hours=1),
        "timezone": "Europe/Amsterdam",
        "location": "Zaal 4",
        "capacity": 10,
        "description": "Over typen",
    }
    return SessionDetails(**{**fields, **changes})


def one_off(community, coordinator, **changes) -> Session:
    return session_create(community=community, actor=coordinator, details=details(**changes))


def mails(**filters) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(**filters).exclude(calendar="").order_by("id"))


def calendar_of(message: OutboxMessage):
    """The message's calendar, checked by every reader, and its unfolded lines."""
    data = message.calendar.encode()
    calendar = check_calendar(data)
    assert calendar["METHOD"] == message.calendar_method
    return calendar, unfold(message.calendar)


def summary(message: OutboxMessage) -> tuple:
    calendar, _lines = calendar_of(message)
    (event, *_rest) = calendar.walk("VEVENT")
    return (
        message.to_email,
        message.calendar_method,
        str(event["UID"]),
        int(event["SEQUENCE"]),
        str(event.get("RECURRENCE-ID").dt.astimezone(UTC)) if "RECURRENCE-ID" in event else None,
    )


def test_going_sends_one_request_to_that_attendee_in_their_language(community, coordinator, people):
    session = one_off(community, coordinator)
    anna = people[0]

    rsvp_set(session_id=session.pk, user=anna, status=GOING)

    (message,) = mails()
    assert (message.kind, message.to_email, message.recipient_id) == (
        "calendar_request",
        "p1@example.org",
        anna.pk,
    )
    assert message.dedupe_key == f"invite:{session.uid}:0:REQUEST:{anna.pk}"
    assert message.subject == "Uitnodiging: Type hints, in de praktijk; deel 1"
    assert "Je gaat. Deze uitnodiging zet de sessie in je agenda." in message.body_text
    assert "/rsvp/" in message.body_text and "/rsvp/" in message.body_html
    _calendar, lines = calendar_of(message)
    assert "METHOD:REQUEST" in lines
    assert f"UID:{session.uid}" in lines
    assert "SEQUENCE:0" in lines
    # DTSTAMP is when the outbox row was made: a re-send is byte-identical.
    assert f"DTSTAMP:{NOW.strftime('%Y%m%dT%H%M%SZ')}" in lines
    assert "DTSTART;TZID=Europe/Amsterdam:20260304T120000" in lines
    (attendee,) = [line for line in lines if line.startswith("ATTENDEE")]
    assert attendee == (
        'ATTENDEE;CN="Anna Ångström";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;'
        "ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:p1@example.org"
    )
    # The organizer is our inbound mailbox with Anna's signed tag (two-way RSVP), also Reply-To.
    tagged = reply_address(user_id=anna.pk, uid=session.uid)
    assert [line for line in lines if line.startswith("ORGANIZER")] == [
        f"ORGANIZER;CN=Kennisplein:mailto:{tagged}"
    ]
    assert message.headers == {"Reply-To": tagged}

    # A re-send (same row) carries the same Message-ID and byte-identical parts.
    def parts(email):
        mime = email.message()
        return [mime["Message-ID"]] + [
            (part.get_content_type(), part.get_payload(decode=True))
            for part in mime.walk()
            if not part.is_multipart()
        ]

    assert parts(build_email(message)) == parts(build_email(message))


def test_waitlisted_gets_no_invitation_and_promotion_sends_it(community, coordinator, people):
    session = one_off(community, coordinator, capacity=1)
    anna, ben = people[:2]
    rsvp_set(session_id=session.pk, user=anna, status=GOING)
    rsvp_set(session_id=session.pk, user=ben, status=GOING)
    assert [m.to_email for m in mails()] == ["p1@example.org"]

    rsvp_set(session_id=session.pk, user=anna, status=DECLINED)

    assert [(*summary(m), m.kind) for m in mails()] == [
        ("p1@example.org", "REQUEST", session.uid, 0, None, "calendar_request"),
        ("p2@example.org", "REQUEST", session.uid, 0, None, "waitlist_promoted"),
        ("p1@example.org", "CANCEL", session.uid, 1, None, "calendar_cancel"),
    ]
    assert mails()[1].subject == "A seat opened up: Type hints, in de praktijk; deel 1"


def test_sequence_only_grows_per_person_and_the_uid_never_changes(community, coordinator, people):
    session = one_off(community, coordinator)
    anna = people[0]
    # "Maybe" keeps the entry the calendar has (as Tentative does): neither cancel nor re-invite.
    for status in (GOING, DECLINED, GOING, MAYBE, GOING, MAYBE, DECLINED):
        rsvp_set(session_id=session.pk, user=anna, status=status)
    rsvp_set(session_id=session.pk, user=anna, status=GOING)
    session_update(
        session_id=session.pk,
        actor=coordinator,
        details=details(start=START + timedelta(hours=1), end=START + timedelta(hours=2)),
    )
    session_cancel(session_id=session.pk, actor=coordinator, reason="Ziek")

    sent = [summary(m)[1:] for m in mails()]
    assert sent == [
        ("REQUEST", session.uid, 0, None),
        ("CANCEL", session.uid, 1, None),
        ("REQUEST", session.uid, 2, None),
        ("CANCEL", session.uid, 3, None),
        ("REQUEST", session.uid, 4, None),
        ("REQUEST", session.uid, 5, None),
        ("CANCEL", session.uid, 6, None),
    ]
    last = mails()[-1]
    assert last.kind == "session_cancelled"
    assert "STATUS:CANCELLED" in unfold(last.calendar)
    assert "Reden: Ziek" in last.body_text


def test_a_significant_change_updates_everyone_going_and_a_small_one_nobody(
    community, coordinator, people
):
    session = one_off(community, coordinator)
    for person in people[:3]:
        rsvp_set(session_id=session.pk, user=person, status=GOING)
    rsvp_set(session_id=session.pk, user=people[3], status=MAYBE)
    before = len(mails())

    session_update(
        session_id=session.pk, actor=coordinator, details=details(description="Andere tekst")
    )
    assert len(mails()) == before

    session_update(session_id=session.pk, actor=coordinator, details=details(location="Zaal 5"))
    updates = mails()[before:]
    assert [summary(m) for m in updates] == [
        (f"p{n}@example.org", "REQUEST", session.uid, 1, None) for n in (1, 2, 3)
    ]
    assert all("LOCATION:Zaal 5" in unfold(m.calendar) for m in updates)
    assert updates[1].subject == "Changed: Type hints, in de praktijk; deel 1"

    session_update(
        session_id=session.pk,
        actor=coordinator,
        details=details(location="Zaal 5", guest_speaker="Guido"),
    )
    assert [summary(m)[3] for m in mails()[before + 3 :]] == [2, 2, 2]


def test_cancelling_tells_calendars_by_cancel_and_the_others_by_plain_mail(
    community, coordinator, people
):
    session = one_off(community, coordinator)
    anna, ben, cas, _dirk = people
    rsvp_set(session_id=session.pk, user=anna, status=GOING)
    rsvp_set(session_id=session.pk, user=ben, status=MAYBE)
    calendar_delivery_set(user=cas, choice=User.CalendarDelivery.FEED)
    rsvp_set(session_id=session.pk, user=cas, status=GOING)

    session_cancel(session_id=session.pk, actor=coordinator, reason="")

    cancelled = OutboxMessage.objects.filter(kind="session_cancelled").order_by("to_email")
    assert [(m.to_email, m.calendar_method) for m in cancelled] == [
        ("p1@example.org", "CANCEL"),
        ("p2@example.org", ""),
        ("p3@example.org", ""),
    ]
    # Cas takes sessions through the feed only: never an invitation.
    assert OutboxMessage.objects.filter(recipient=cas).exclude(calendar="").count() == 0


def test_removed_by_a_host_gets_a_cancel(community, coordinator, people):
    session = one_off(community, coordinator)
    rsvp = rsvp_set(session_id=session.pk, user=people[0], status=GOING)
    rsvp_remove(session_id=session.pk, actor=coordinator, rsvp_id=rsvp.pk)
    assert [summary(m)[1] for m in mails()] == ["REQUEST", "CANCEL"]
    assert "niet meer op de lijst" in mails()[-1].body_text


def test_feed_only_people_get_no_invitations_until_they_switch_back(community, coordinator, people):
    anna = people[0]
    calendar_delivery_set(user=anna, choice=User.CalendarDelivery.FEED)
    first = one_off(community, coordinator)
    second = one_off(community, coordinator, title="Tweede")
    rsvp_set(session_id=first.pk, user=anna, status=GOING)
    rsvp_set(session_id=second.pk, user=anna, status=GOING)
    assert mails() == []

    calendar_delivery_set(user=anna, choice=User.CalendarDelivery.BOTH)
    assert sorted(summary(m)[2] for m in mails()) == sorted([first.uid, second.uid])
    calendar_delivery_set(user=anna, choice=User.CalendarDelivery.INVITATIONS)
    assert len(mails()) == 2  # nothing new: their calendar has both


def test_sync_is_idempotent(community, coordinator, people):
    session = one_off(community, coordinator)
    rsvp_set(session_id=session.pk, user=people[0], status=GOING)
    assert invitations_sync_session(session=session) == []
    assert invitations_sync_session(session=session) == []
    assert len(mails()) == 1


def test_past_sessions_get_no_mail(community, coordinator, people, time_machine):
    session = one_off(community, coordinator)
    rsvp_set(session_id=session.pk, user=people[0], status=GOING)
    time_machine.move_to(START + timedelta(hours=2), tick=False)
    session_cancel(session_id=session.pk, actor=coordinator, reason="")
    assert invitations_sync_session(session=session) == []
    assert [summary(m)[1] for m in mails()] == ["REQUEST"]


def test_intervision_invitations_show_only_the_group(coordinator, people):
    group = IntervisionGroupFactory(name="Intervisie Noord", slug="iv-noord")
    MembershipFactory(user=coordinator, community=group, role="facilitator")
    MembershipFactory(user=people[0], community=group)
    session = session_create(
        community=group,
        actor=coordinator,
        details=details(
            format="intervision", title="Casus van Ben: conflict met klant", description="Geheim"
        ),
    )
    rsvp_set(session_id=session.pk, user=people[0], status=GOING)
    (message,) = mails()
    calendar, _lines = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Intervisie — Intervisie Noord"
    assert "DESCRIPTION" not in event
    for text in (message.calendar, message.subject, message.body_text, message.body_html):
        assert "Casus" not in text and "Geheim" not in text
    assert message.subject == "Uitnodiging: Intervisie — Intervisie Noord"


# --- series ------------------------------------------------------------------------------


def weekly_series(community, coordinator, count=6, **changes):
    return series_create(
        community=community,
        actor=coordinator,
        details=details(title="Lean Coffee", **changes),
        recurrence=Recurrence(frequency="weekly", count=count),
    )


def expanded(message: OutboxMessage) -> list[tuple[datetime, str]]:
    calendar, _lines = calendar_of(message)
    return sorted(
        (event.start.astimezone(UTC), str(event["SUMMARY"]))
        for event in recurring_ical_events.of(calendar).between(
            datetime(2026, 1, 1), datetime(2027, 1, 1)
        )
    )


def going_in_db(series, user) -> list[tuple[datetime, str]]:
    return sorted(
        (session.start.astimezone(UTC), session.title)
        for session in Session.objects.filter(
            series=series, state="scheduled", rsvps__user=user, rsvps__status=GOING
        )
    )


def test_series_answer_sends_one_invitation_that_expands_to_what_they_go_to(
    community, coordinator, people
):
    series = weekly_series(community, coordinator)
    occurrences = list(series.occurrences.order_by("start"))
    anna = people[0]
    # Before joining: one occurrence moved and one cancelled, and she answered one herself.
    session_update(
        session_id=occurrences[2].pk,
        actor=coordinator,
        details=details(
            title="Lean Coffee", start=START + timedelta(weeks=2, hours=3),
            end=START + timedelta(weeks=2, hours=4),
        ),
    )  # fmt: skip
    session_cancel(session_id=occurrences[4].pk, actor=coordinator, reason="")
    rsvp_set(session_id=occurrences[1].pk, user=anna, status=GOING)
    assert [summary(m)[1:3] for m in mails()] == [("REQUEST", occurrences[1].uid)]

    series_rsvp_set(series_id=series.pk, user=anna, status=GOING)

    new = mails()[1:]
    # One series invitation; her own invitation for occurrence 2 is folded into it.
    assert [summary(m)[1:3] for m in new] == [
        ("REQUEST", series.uid),
        ("CANCEL", occurrences[1].uid),
    ]
    invitation = new[0]
    _calendar, lines = calendar_of(invitation)
    assert "RRULE:FREQ=WEEKLY;COUNT=6;INTERVAL=1;BYDAY=WE" in lines
    assert "EXDATE;TZID=Europe/Amsterdam:20260401T120000" in lines
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20260318T120000" in lines
    # The expansion oracle: exactly the occurrences she goes to in the database.
    assert expanded(invitation) == going_in_db(series, anna)
    assert len(going_in_db(series, anna)) == 5


def test_occurrence_changes_go_out_as_that_instance(community, coordinator, people):
    series = weekly_series(community, coordinator)
    occurrences = list(series.occurrences.order_by("start"))
    anna, ben = people[:2]
    series_rsvp_set(series_id=series.pk, user=anna, status=GOING)
    rsvp_set(session_id=occurrences[3].pk, user=ben, status=GOING)  # Ben: this one only
    start = len(mails())

    session_update(
        session_id=occurrences[3].pk,
        actor=coordinator,
        details=details(
            title="Lean Coffee", start=START + timedelta(weeks=3, hours=1),
            end=START + timedelta(weeks=3, hours=2),
        ),
    )  # fmt: skip
    rsvp_set(session_id=occurrences[1].pk, user=anna, status=DECLINED)
    session_cancel(session_id=occurrences[2].pk, actor=coordinator, reason="Vakantie")

    rid = {o.pk: str(o.recurrence_id.astimezone(UTC)) for o in occurrences}
    assert [summary(m) for m in mails()[start:]] == [
        ("p1@example.org", "REQUEST", series.uid, 1, rid[occurrences[3].pk]),
        ("p2@example.org", "REQUEST", occurrences[3].uid, 1, None),
        ("p1@example.org", "CANCEL", series.uid, 2, rid[occurrences[1].pk]),
        ("p1@example.org", "CANCEL", series.uid, 3, rid[occurrences[2].pk]),
    ]
    # A later series edit sends the whole object again, consistent with all of that.
    series_update_all(series_id=series.pk, actor=coordinator, details=details(title="Lean Koffie"))
    whole = [m for m in mails()[start + 4 :] if m.to_email == "p1@example.org"]
    assert [summary(m)[1:4] for m in whole] == [("REQUEST", series.uid, 4)]
    assert expanded(whole[0]) == going_in_db(series, anna)


def test_this_and_following_ends_the_old_series_and_invites_to_the_new(
    community, coordinator, people
):
    series = weekly_series(community, coordinator)
    occurrences = list(series.occurrences.order_by("start"))
    anna = people[0]
    series_rsvp_set(series_id=series.pk, user=anna, status=GOING)
    start = len(mails())

    new = series_split(
        session_id=occurrences[3].pk,
        actor=coordinator,
        details=details(
            title="Lean Coffee", start=START + timedelta(hours=2), end=START + timedelta(hours=3)
        ),
    )

    sent = mails()[start:]
    assert [summary(m)[1:4] for m in sent] == [
        ("REQUEST", series.uid, 1),
        ("REQUEST", new.uid, 0),
    ]
    old_lines = unfold(sent[0].calendar)
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260325T105959Z;INTERVAL=1;BYDAY=WE" in old_lines
    assert expanded(sent[0]) == going_in_db(series, anna)
    assert expanded(sent[1]) == going_in_db(new, anna)
    assert len(expanded(sent[0])) + len(expanded(sent[1])) == 6


def test_stopping_or_cancelling_the_rest_removes_the_series(community, coordinator, people):
    series = weekly_series(community, coordinator)
    occurrences = list(series.occurrences.order_by("start"))
    anna, ben = people[:2]
    series_rsvp_set(series_id=series.pk, user=anna, status=GOING)
    series_rsvp_set(series_id=series.pk, user=ben, status=GOING)
    rsvp_set(session_id=occurrences[5].pk, user=ben, status=GOING)  # his own answer for #6
    start = len(mails())

    series_rsvp_set(series_id=series.pk, user=ben, status=DECLINED)
    assert [summary(m)[:4] for m in mails()[start:]] == [
        ("p2@example.org", "CANCEL", series.uid, 1),
        ("p2@example.org", "REQUEST", occurrences[5].uid, 0),
    ]
    start = len(mails())

    series_cancel_rest(session_id=occurrences[0].pk, actor=coordinator, reason="Gestopt")
    # Nothing is left of the series: one CANCEL of the whole for Anna, Ben's own one cancelled.
    assert sorted((*summary(m)[:3], m.kind) for m in mails()[start:]) == [
        ("p1@example.org", "CANCEL", series.uid, "calendar_cancel"),
        ("p2@example.org", "CANCEL", occurrences[5].uid, "session_cancelled"),
    ]
    assert OutboxMessage.objects.filter(kind="session_cancelled", calendar="").count() == 0


def test_the_ledger_keeps_the_last_sequence_sent_per_person(community, coordinator, people):
    session = one_off(community, coordinator)
    rsvp_set(session_id=session.pk, user=people[0], status=GOING)
    rsvp_set(session_id=session.pk, user=people[0], status=DECLINED)
    row = CalendarDelivery.objects.get(user=people[0], uid=session.uid)
    assert (row.method, row.sequence, row.object_sequence, row.session_id) == (
        "CANCEL",
        1,
        0,
        session.pk,
    )
    assert row.outbox_message.dedupe_key == f"invite:{session.uid}:1:CANCEL:{people[0].pk}"
    assert timezone.now() == NOW
    assert Rsvp.objects.get(user=people[0]).status == DECLINED


# --- series answers tell the truth -----------------------------------------------------------


def test_going_to_a_series_while_waitlisted_everywhere_sends_no_empty_series(
    community, coordinator, people
):
    anna, ben, _cas, _dirk = people
    series = weekly_series(community, coordinator, count=3, capacity=1)
    series_rsvp_set(series_id=series.pk, user=anna, status=GOING)
    result = series_rsvp_set(series_id=series.pk, user=ben, status=GOING)
    assert result.count("waitlisted") == 3 and result.count("going") == 0
    # No "you are going to every session" with every date excluded.
    assert list(OutboxMessage.objects.filter(recipient=ben)) == []
    # A seat opens on the second: Ben's series invitation now holds exactly that one.
    second = series.occurrences.order_by("start")[1]
    rsvp_set(session_id=second.pk, user=anna, status=DECLINED)
    [message] = OutboxMessage.objects.filter(recipient=ben)
    assert message.calendar_method == "REQUEST"
    assert [start for start, _title in expanded(message)] == [second.start.astimezone(UTC)]
    going_part, waiting_part = message.body_text.split("On the waiting list:")
    assert going_part.count("Zaal 4") == 1 and waiting_part.count("Zaal 4") == 2


def test_series_mail_names_the_sessions_going_and_waiting(community, coordinator, people):
    anna, ben, _cas, _dirk = people
    series = weekly_series(community, coordinator, count=3, capacity=1)
    first = series.occurrences.order_by("start")[0]
    rsvp_set(session_id=first.pk, user=anna, status=GOING)
    series_rsvp_set(series_id=series.pk, user=ben, status=GOING)
    [message] = OutboxMessage.objects.filter(recipient=ben)
    assert [start for start, _title in expanded(message)] == [
        o.start.astimezone(UTC) for o in series.occurrences.order_by("start")[1:]
    ]
    assert "You are going to every session" not in message.body_text
    going_part, waiting_part = message.body_text.split("On the waiting list:")
    assert waiting_part.count("Zaal 4") == 1 and going_part.count("Zaal 4") == 2


# --- update coalescing -------------------------------------------------------------------------


def _sweep(at: datetime) -> list[OutboxMessage]:
    from django.core import mail  # noqa: PLC0415 -- slow

    from communities.mail.services import outbox_claim_due, outbox_deliver_batch  # noqa: PLC0415 -- slow

    before = len(mail.outbox)
    for token in outbox_claim_due(now=at):
        outbox_deliver_batch(lease_token=token)
    return mail.outbox[before:]


def test_five_quick_edits_send_one_update_per_attendee_with_the_final_state(
    community, coordinator, people, time_machine
):
    session = one_off(community, coordinator)
    for person in people:
        rsvp_set(session_id=session.pk, user=person, status=GOING)
    assert len(_sweep(NOW)) == 4  # the invitations
    for minute in range(5):  # five edits in one minute
        time_machine.move_to(NOW + timedelta(seconds=12 * minute), tick=False)
        session_update(session_id=session.pk, actor=coordinator,
                       details=details(location=f"Zaal {minute + 10}"))  # fmt: skip
    last_edit = NOW + timedelta(seconds=48)
    # Nothing while edits keep coming, and until two quiet minutes have passed.
    assert _sweep(last_edit + timedelta(seconds=119)) == []
    sent = _sweep(last_edit + timedelta(seconds=120))
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in people)
    for person in people:
        updates = OutboxMessage.objects.filter(recipient=person, calendar_method="REQUEST")
        assert sorted(updates.values_list("state", flat=True)) == ["sent", "sent"] + ["skipped"] * 4
        final = updates.filter(state="sent").order_by("-id").first()
        assert "LOCATION:Zaal 14" in final.calendar
        assert CalendarDelivery.objects.get(user=person, uid=session.uid).outbox_message == final
    check_calendar(final.calendar.encode())


def test_a_cancellation_replaces_a_waiting_update_and_goes_at_once(community, coordinator, people):
    session = one_off(community, coordinator)
    anna = people[0]
    rsvp_set(session_id=session.pk, user=anna, status=GOING)
    session_update(session_id=session.pk, actor=coordinator, details=details(location="Zaal 9"))
    session_cancel(session_id=session.pk, actor=coordinator, reason="Ziek")
    rows = OutboxMessage.objects.filter(recipient=anna).order_by("id")
    assert [(m.calendar_method, m.state) for m in rows] == [
        ("REQUEST", "pending"), ("REQUEST", "skipped"), ("CANCEL", "pending")]  # fmt: skip
    assert rows[2].due_at == NOW
