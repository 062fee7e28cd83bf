"""Scheduling with the rota, swaps, cases and their selection, closing and erasure."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from communities.errors import DomainError
from communities.mail.checks import still_wanted
from communities.mail.models import OutboxMessage
from config.celery import app
from events.models import Takeaway
from events.series.services.scheduling import series_extend_all
from events.sessions.services.scheduling import SessionDetails, session_cancel
from intervision.models import (
    ActionCommitment,
    Attendance,
    Case,
    CaseVote,
    Evaluation,
    GroupSettings,
    IntervisionSession,
    LiveItem,
    Method,
    PresenterCopy,
)
from intervision.selectors import (
    candidates_for,
    group_warnings,
    has_accepted_agreement,
    isession_for_member,
    live_snapshot,
    proposed_presenters,
)
from intervision.services.cases import case_select, case_submit, case_vote
from intervision.services.closing import (
    intervision_autoclose,
    intervision_session_close,
    presenter_copies_purge,
    presenter_copy_choose,
)
from intervision.services.groups import (
    agreement_accept,
    group_settings_update,
    method_adjust,
    method_copy,
)
from intervision.services.live import (
    StaleState,
    action_add,
    attendance_set,
    evaluation_set,
    live_control,
    live_item_add,
)
from intervision.services.reminders import reminders_enqueue
from intervision.services.scheduling import (
    _rota_presenter,
    intervision_schedule_series,
    intervision_sides_complete,
    swap_answer,
    swap_request,
)
from intervision.tasks import intervision_sweep
from tests.factories import MembershipFactory, PresenterCopyFactory, RsvpFactory, UserFactory
from tests.intervision.conftest import make_group

pytestmark = pytest.mark.django_db


def submit(group, person, isession=None, **fields):
    data = {
        "title": "Grenzen stellen",
        "question": "Hoe stel ik grenzen bij een collega?",
        "pitch": "Een collega vraagt steeds om hulp. Ik zeg altijd ja.",
        "urgency": 3,
        "no_client_data": True,
    }
    data.update(fields)
    return case_submit(group=group.community, user=person, isession=isession, **data)


def run_through(isession, actor):
    """Start, step through every phase, close."""
    state = live_control(
        isession_id=isession.pk, actor=actor, action="start", version=isession.version
    )
    while state.state == IntervisionSession.State.IN_PROGRESS:
        state = live_control(
            isession_id=isession.pk, actor=actor, action="next", version=state.version
        )
    return intervision_session_close(isession_id=isession.pk, actor=actor)


# --- the catalogue --------------------------------------------------------------------------


def test_catalogue_ships_the_methods_in_dutch_and_english():
    codes = set(Method.objects.filter(group=None).values_list("code", flat=True))
    assert codes == {
        "incidentmethode",
        "roddelmethode",
        "balint-intervisie",
        "socratisch-kort",
        "vijfstappenmethode",
        "tienstappenmethode",
        "kollegiale-beratung",
        "action-learning-set",
        "troika-consulting",
        "u-procedure",
    }
    unverified = set(Method.objects.filter(verified=False).values_list("code", flat=True))
    assert unverified == {"socratisch-kort", "tienstappenmethode", "u-procedure"}
    tietze = Method.objects.get(code="kollegiale-beratung")
    assert [p.minutes for p in tietze.phases.all()] == [5, 10, 5, 5, 10, 5]
    for method in Method.objects.all():
        for phase in method.phases.all():
            assert phase.name_nl and phase.name_en, (method.code, phase.order)


def test_group_copies_a_method_and_adjusts_minutes_and_phases(group):
    source = Method.objects.get(code="vijfstappenmethode")
    copy = method_copy(method_id=source.pk, group=group.community, actor=group.facilitator)
    phases = list(copy.phases.all())
    assert [p.minutes for p in phases] == [5, 20, 10, 15, 5]
    method_adjust(
        method_id=copy.pk,
        group=group.community,
        actor=group.facilitator,
        minutes={phases[1].pk: 25},
        drop={phases[4].pk},
    )
    assert [p.minutes for p in copy.phases.all()] == [5, 25, 10, 15]
    assert [p.minutes for p in source.phases.all()] == [5, 20, 10, 15, 5]
    with pytest.raises(DomainError):
        method_adjust(
            method_id=source.pk,
            group=group.community,
            actor=group.facilitator,
            minutes={},
            drop=set(),
        )
    with pytest.raises(DomainError):
        method_copy(method_id=source.pk, group=group.community, actor=group.members[1])
    second = method_copy(method_id=source.pk, group=group.community, actor=group.facilitator)
    assert (copy.code, second.code) == ("vijfstappenmethode-copy", "vijfstappenmethode-copy-2")


# --- the rota through the database ------------------------------------------------------------


def test_twelve_sessions_of_six_each_member_presents_exactly_twice(group):
    presenters = []
    for n in range(12):
        isession = group.schedule(days=10 + 42 * n)
        presenters.append(isession.presenter_id)
    ids = [m.pk for m in group.members]
    assert presenters == ids + ids
    assert Counter(presenters) == {pk: 2 for pk in ids}


def test_rota_skips_who_declined_and_shows_the_next_three(group):
    first = group.schedule(days=10)
    assert first.presenter == group.members[0]
    assert proposed_presenters(group.community) == group.members[1:4]
    second = group.schedule(days=50)
    RsvpFactory(session=second.session, user=group.members[1], status="declined")
    second.presenter = None
    second.save()
    assert _rota_presenter(group.community, second.session) == group.members[2].pk


def test_swap_requested_and_accepted_in_the_app(group):
    isession = group.schedule(days=10)
    presenter, other = group.members[0], group.members[3]
    with pytest.raises(DomainError):
        swap_request(isession=isession, actor=other, asked_id=presenter.pk)
    swap = swap_request(isession=isession, actor=presenter, asked_id=other.pk)
    assert swap_request(isession=isession, actor=presenter, asked_id=other.pk) == swap
    with pytest.raises(DomainError):
        swap_answer(swap_id=swap.pk, actor=group.members[2], accept=True)
    swap_answer(swap_id=swap.pk, actor=other, accept=True)
    isession.refresh_from_db()
    assert isession.presenter == other
    swap.refresh_from_db()
    assert swap.state == "accepted"


def test_declined_swap_keeps_the_presenter(group):
    isession = group.schedule(days=10)
    swap = swap_request(isession=isession, actor=group.members[0], asked_id=group.members[1].pk)
    swap_answer(swap_id=swap.pk, actor=group.members[1], accept=False)
    isession.refresh_from_db()
    assert (isession.presenter, swap.__class__.objects.get().state) == (
        group.members[0],
        "declined",
    )


def test_warnings_for_group_size_and_cadence(db):
    small = make_group(name="Klein", slug="klein", size=3)
    assert [w.code for w in group_warnings(small.community)] == ["small", "none"]
    big = make_group(name="Groot", slug="groot", size=9)
    big.schedule(days=5)
    big.schedule(days=5 + 7 * 10)  # ten weeks later: over the 8-week cadence
    assert [w.code for w in group_warnings(big.community)] == ["large", "cadence"]
    ok = make_group(name="Goed", slug="goed", size=6)
    ok.schedule(days=5)
    assert group_warnings(ok.community) == []


# --- cases and selection --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"pitch": "Een. Twee. Drie. Vier."}, "pitch"),
        ({"question": "Wat moet het team doen?"}, "first_person"),
        ({"no_client_data": False}, "avg"),
        ({"urgency": 6}, "urgency"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_case_is_refused_and_nothing_stored(group, fields, code):
    with pytest.raises(DomainError) as error:
        submit(group, group.members[1], **fields)
    assert error.value.code == code
    assert Case.objects.count() == 0


def test_outsider_cannot_submit(group):
    with pytest.raises(DomainError):
        submit(group, UserFactory())


def test_one_case_is_selected_automatically_at_the_deadline(group, time_machine):
    isession = group.schedule(days=10)
    case = submit(group, group.members[3], isession=isession)
    time_machine.move_to(isession.session.start - timedelta(days=2))
    reminders_enqueue()
    case.refresh_from_db()
    isession.refresh_from_db()
    assert (case.status, isession.presenter) == ("selected", group.members[3])


def test_zero_cases_remind_the_rota_presenter(group, time_machine):

    isession = group.schedule(days=10)
    time_machine.move_to(isession.session.start - timedelta(days=2))
    reminders_enqueue()
    deadline = OutboxMessage.objects.filter(kind="intervision_case_deadline")
    assert list(deadline.values_list("recipient", flat=True)) == [isession.presenter_id]
    assert deadline.get().dedupe_key == (
        f"reminder:{isession.session_id}:{isession.presenter_id}:case_deadline"
    )


def test_vote_selection_and_carry_over_with_a_bump(group):
    isession = group.schedule(days=10)
    a = submit(group, group.members[1], isession=isession, title="A")
    b = submit(group, group.members[2], isession=isession, title="B")
    for voter in group.members[:4]:
        case_vote(isession=isession, user=voter, case_id=b.pk)
    case_vote(isession=isession, user=group.members[4], case_id=a.pk)
    # voting again moves the vote
    case_vote(isession=isession, user=group.members[3], case_id=a.pk)
    assert CaseVote.objects.filter(case=b).count() == 3
    chosen = case_select(isession=isession, actor=group.facilitator)
    assert chosen == b
    isession.refresh_from_db()
    assert isession.presenter == group.members[2]
    intervision_session_close(isession_id=isession.pk, actor=group.facilitator)
    a.refresh_from_db()
    assert (a.status, a.isession, a.priority_bump) == ("deferred", None, 1)
    assert not Case.objects.filter(pk=b.pk).exists()
    assert CaseVote.objects.count() == 0
    # The carried-over case is on the table next time.
    nxt = group.schedule(days=60)

    assert list(candidates_for(nxt)) == [a]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("urgency", "urgent"), ("rotation", "never"), ("facilitator", "chosen")],
)
def test_selection_modes(group, mode, expected):
    GroupSettings.objects.filter(group=group.community).update(selection_mode=mode)
    first = group.schedule(days=1)  # members[0] presented before, a month ago
    past = timezone.now() - timedelta(days=30)
    type(first.session).objects.filter(pk=first.session_id).update(
        start=past, end=past + timedelta(hours=2)
    )
    isession = group.schedule(days=10, presenter_id=group.members[5].pk)
    cases = {
        "urgent": submit(group, group.members[0], isession=isession, urgency=5),
        "never": submit(group, group.members[1], isession=isession, urgency=2),
        "chosen": submit(group, group.members[2], isession=isession, urgency=1),
    }
    chosen = case_select(
        isession=isession,
        actor=group.facilitator,
        chosen=cases["chosen"].pk if mode == "facilitator" else None,
    )
    assert chosen == cases[expected]


# --- the live state ---------------------------------------------------------------------------


def test_live_state_steps_back_extends_pauses_and_refuses_a_stale_version(group, time_machine):
    isession = group.schedule(days=0.01)
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="start", version=0)
    assert (s.state, s.current, s.version) == ("in_progress", 0, 1)
    with pytest.raises(StaleState):
        live_control(isession_id=isession.pk, actor=group.facilitator, action="next", version=0)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="extend2", version=1)
    assert s.runs.get(order=0).extended_sec == 120
    time_machine.move_to(now + timedelta(seconds=60), tick=False)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="pause", version=2)
    time_machine.move_to(now + timedelta(seconds=300), tick=False)

    snap = live_snapshot(s, now=now + timedelta(seconds=300))
    assert (snap["paused"], snap["remaining_sec"]) == (True, 5 * 60 + 120 - 60)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="resume", version=3)
    assert s.runs.get(order=0).paused_sec == 240
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="next", version=4)
    assert s.current == 1
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="back", version=5)
    assert s.current == 0
    first = s.runs.get(order=0)
    assert (first.ended_at, first.started_at) == (
        None,
        now + timedelta(seconds=300) - timedelta(seconds=60),
    )
    with pytest.raises(DomainError):
        live_control(isession_id=isession.pk, actor=group.members[2], action="next", version=6)


def test_countdown_turns_amber_at_80_and_red_at_100_percent(group, time_machine):

    isession = group.schedule(days=0.01)
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="start", version=0)
    planned = 5 * 60  # Tietze's casting phase
    assert live_snapshot(s, now=now + timedelta(seconds=planned * 0.79))["level"] == "ok"
    assert live_snapshot(s, now=now + timedelta(seconds=planned * 0.8))["level"] == "amber"
    red = live_snapshot(s, now=now + timedelta(seconds=planned + 5))
    assert (red["level"], red["remaining_sec"], red["remaining_text"]) == ("red", -5, "-0:05")


# --- closing and erasure ----------------------------------------------------------------------


def test_close_keeps_only_what_may_stay(group):
    isession = group.schedule(days=0.01)
    presenter = group.members[2]
    case = submit(group, presenter, isession=isession)
    case_select(isession=isession, actor=group.facilitator)
    isession.refresh_from_db()
    live_control(
        isession_id=isession.pk, actor=group.facilitator, action="start", version=isession.version
    )
    isession.refresh_from_db()
    live_item_add(
        isession=isession, author=group.members[1], kind="question", text="Wat deed je toen?"
    )
    live_item_add(isession=isession, author=group.members[3], kind="advice", text="Bel eerder.")
    live_item_add(
        isession=isession,
        author=group.members[4],
        kind="takeaway",
        text="Twijfel hardop uitspreken helpt.",
        keep="organisation",
    )
    live_item_add(isession=isession, author=group.members[5], kind="takeaway", text="Niet bewaren")
    presenter_copy_choose(isession=isession, user=presenter, keep=True)
    evaluation_set(isession=isession, user=group.members[1], score=4, tip="Korter", top="Veilig")
    action_add(
        isession=isession,
        actor=group.facilitator,
        owner_id=presenter.pk,
        text="Teamoverleg plannen",
        due_date=timezone.localdate() + timedelta(days=14),
    )
    attendance_set(
        isession=isession, actor=group.facilitator, present_ids={m.pk for m in group.members[:5]}
    )

    closed = intervision_session_close(
        isession_id=isession.pk, actor=group.facilitator, theme="Grenzen stellen"
    )

    assert (closed.state, closed.theme, closed.presenter) == (
        "closed",
        "Grenzen stellen",
        presenter,
    )
    assert not Case.objects.filter(pk=case.pk).exists()
    assert LiveItem.objects.count() == 0
    assert list(Takeaway.objects.values_list("author", "owner", "body", "visibility")) == [
        (
            group.members[4].pk,
            group.members[4].pk,
            "Twijfel hardop uitspreken helpt.",
            "organisation",
        )
    ]
    copy = PresenterCopy.objects.get()
    assert (copy.owner, copy.text) == (presenter, "Wat deed je toen?\n\nBel eerder.")
    assert Evaluation.objects.get().score == 4
    assert ActionCommitment.objects.get().text == "Teamoverleg plannen"
    assert Attendance.objects.filter(present=True).count() == 5
    # Closing again changes nothing.
    again = intervision_session_close(isession_id=isession.pk, actor=group.facilitator)
    assert again.version == closed.version


def test_session_not_closed_by_hand_is_closed_and_erased_automatically(group, time_machine):
    isession = group.schedule(days=1)
    submit(group, group.members[1], isession=isession)
    case_select(isession=isession, actor=None)
    end = isession.session.end
    time_machine.move_to(end + timedelta(hours=11))
    assert intervision_autoclose() == []
    time_machine.move_to(end + timedelta(hours=12, minutes=1))
    assert intervision_autoclose() == [isession.pk]
    isession.refresh_from_db()
    assert (isession.state, Case.objects.count()) == ("closed", 0)


def test_private_copy_is_deleted_after_retention(group, time_machine):
    PresenterCopyFactory(owner=group.members[1], delete_after=timezone.now() + timedelta(days=30))
    assert presenter_copies_purge() == 0
    time_machine.move_to(timezone.now() + timedelta(days=31))
    assert presenter_copies_purge() == 1


def test_reminders_are_idempotent_and_never_carry_case_text(group, time_machine):

    isession = group.schedule(days=20)
    submit(
        group, group.members[1], isession=isession, title="Geheime titel", pitch="Geheime pitch."
    )
    for days_before in (14, 3, 1):
        time_machine.move_to(
            isession.session.start - timedelta(days=days_before) + timedelta(minutes=1)
        )
        reminders_enqueue()
        reminders_enqueue()
    time_machine.move_to(isession.session.end + timedelta(minutes=1))
    reminders_enqueue()
    kinds = Counter(OutboxMessage.objects.values_list("kind", flat=True))
    assert kinds == {
        "intervision_call_for_cases": 6,
        "intervision_agenda": 6,
        "intervision_takeaway": 6,
    }
    for message in OutboxMessage.objects.all():
        assert "Geheime" not in message.subject + message.body_text + message.body_html
        assert message.dedupe_key.startswith(f"reminder:{isession.session_id}:")


def test_action_check_in_after_three_weeks(group, time_machine):

    isession = group.schedule(days=0.01)
    action = action_add(
        isession=isession,
        actor=group.facilitator,
        owner_id=group.members[2].pk,
        text="Bellen",
        due_date=timezone.localdate() + timedelta(days=30),
    )
    reminders_enqueue()
    assert not OutboxMessage.objects.filter(kind="intervision_action_checkin").exists()
    time_machine.move_to(action.created_at + timedelta(weeks=3, minutes=1))
    reminders_enqueue()
    reminders_enqueue()
    message = OutboxMessage.objects.get(kind="intervision_action_checkin")
    assert (message.recipient, "Bellen" in message.body_text) == (group.members[2], False)


def test_agreement_acceptance_is_per_version(group):

    member = group.members[1]
    assert has_accepted_agreement(member, group.community) is True
    group_settings_update(
        group=group.community,
        actor=group.facilitator,
        cadence_weeks=6,
        selection_mode="urgency",
        default_method_id=None,
        rotate_facilitator=False,
        agreement="Nieuwe afspraken",
        auto_close_hours=12,
        private_copy_days=30,
    )
    assert has_accepted_agreement(member, group.community) is False
    agreement_accept(group=group.community, user=member)
    assert has_accepted_agreement(member, group.community) is True
    MembershipFactory(user=UserFactory(), community=group.community)


def test_series_every_six_weeks_gets_presenters_from_the_rota(group):

    start = timezone.now() + timedelta(days=7)
    made = intervision_schedule_series(
        group=group.community,
        actor=group.facilitator,
        details=SessionDetails(
            title="Intervisie",
            format="intervision",
            start=start,
            end=start + timedelta(hours=2),
            location="Kamer 1",
        ),
        method_id=Method.objects.get(code="incidentmethode").pk,
        every_weeks=6,
        count=3,
    )
    assert [m.presenter for m in made] == group.members[:3]
    starts = [m.session.start for m in made]
    assert [b - a for a, b in itertools.pairwise(starts)] == [timedelta(weeks=6)] * 2
    assert {m.session.series_id for m in made} == {made[0].session.series_id}
    with pytest.raises(DomainError):
        intervision_schedule_series(
            group=group.community,
            actor=group.facilitator,
            details=SessionDetails(
                title="x",
                format="intervision",
                start=start,
                end=start + timedelta(hours=1),
                location="k",
            ),
            method_id=Method.objects.get(code="incidentmethode").pk,
            every_weeks=6,
            count=13,
        )


def test_facilitator_role_rotates_when_the_group_says_so(group):
    GroupSettings.objects.filter(group=group.community).update(rotate_facilitator=True)
    first = group.schedule(days=10)
    second = group.schedule(days=50)
    # Presenter and facilitator are never the same person; facilitators take turns.
    assert (first.presenter, first.facilitator) == (group.members[0], group.members[1])
    assert (second.presenter, second.facilitator) == (group.members[1], group.members[0])


def test_turn_tracker_ticks_and_unticks_a_member(group):
    isession = group.schedule(days=0.01)
    s = live_control(isession_id=isession.pk, actor=group.facilitator, action="start", version=0)
    for version, person in ((1, group.members[3]), (2, group.members[1]), (3, group.members[3])):
        s = live_control(
            isession_id=isession.pk,
            actor=group.facilitator,
            action="turn",
            version=version,
            person_id=person.pk,
        )
    assert s.runs.get(order=0).turns == [group.members[1].pk]
    with pytest.raises(DomainError):
        live_control(
            isession_id=isession.pk,
            actor=group.facilitator,
            action="turn",
            version=4,
            person_id=UserFactory().pk,
        )


def test_agenda_mail_carries_the_method_card_and_no_case(group, time_machine):

    isession = group.schedule(days=5, method="vijfstappenmethode")
    submit(group, group.members[1], isession=isession, title="Geheime titel")
    time_machine.move_to(isession.session.start - timedelta(days=1) + timedelta(minutes=1))
    reminders_enqueue()
    mail = OutboxMessage.objects.get(kind="intervision_agenda", recipient=group.members[1])
    assert "1. Vraag introduceren (5 min)" in mail.body_text
    assert "5. Evaluatie door de inbrenger (5 min)" in mail.body_text
    assert "Geheime" not in mail.body_text + mail.body_html + mail.subject


def test_only_members_vote(group):
    isession = group.schedule(days=10)
    case = submit(group, group.members[1], isession=isession)
    with pytest.raises(DomainError):
        case_vote(isession=isession, user=UserFactory(), case_id=case.pk)
    assert CaseVote.objects.count() == 0


def test_beat_sweep_is_registered_and_runs(group, time_machine):

    app.loader.import_default_modules()
    assert "intervision.tasks.intervision_sweep" in app.tasks

    assert settings.CELERY_BEAT_SCHEDULE["intervision-sweep"]["task"] == (
        "intervision.tasks.intervision_sweep"
    )
    isession = group.schedule(days=1)
    time_machine.move_to(isession.session.end + timedelta(hours=13))
    # After the end only the takeaway prompt goes out (to the six members).
    assert intervision_sweep() == {"sides": 0, "reminders": 6, "closed": 1, "purged": 0}


def test_reminder_for_a_cancelled_session_is_skipped_when_sent(group, time_machine):

    isession = group.schedule(days=10)
    reminders_enqueue()
    message = OutboxMessage.objects.filter(kind="intervision_call_for_cases").first()
    assert still_wanted(message) is True
    session_cancel(session_id=isession.session_id, actor=group.facilitator, reason="Ziek")
    message.refresh_from_db()
    assert still_wanted(message) is False


def test_occurrences_materialised_later_get_their_side_with_the_next_presenters(group):
    """A 12-session series every six weeks is materialised 120 days ahead; the hourly extension
    makes the rest, and each new occurrence gets its intervision side (the group's default
    method, the rota's next presenter) in the same transaction, so no page has to make one."""
    start = timezone.now() + timedelta(days=7)
    made = intervision_schedule_series(
        group=group.community,
        actor=group.facilitator,
        details=SessionDetails(
            title="Intervisie",
            format="intervision",
            start=start,
            end=start + timedelta(hours=2),
            location="Kamer 1",
        ),
        method_id=Method.objects.get(code="incidentmethode").pk,
        every_weeks=6,
        count=12,
    )
    assert len(made) == 3  # days 7, 49 and 91; the horizon is 120 days

    series_extend_all(now=timezone.now() + timedelta(weeks=70))

    sides = list(
        IntervisionSession.objects.filter(session__series=made[0].session.series)
        .select_related("method")
        .order_by("session__start")
    )
    assert len(sides) == 12
    assert [side.method.code for side in sides] == ["incidentmethode"] * 3 + [
        "kollegiale-beratung"
    ] * 9
    presenters = [side.presenter for side in sides]
    assert presenters[:6] == group.members[:6]  # each member once, in rota order
    assert presenters[6:] == group.members[:6]


def test_the_sweep_gives_an_older_session_without_a_side_its_side(group):
    """Sessions made before sides came with their occurrences get one from the sweep."""
    isession = group.schedule(days=30)
    session = isession.session
    IntervisionSession.objects.filter(pk=isession.pk).delete()
    assert isession_for_member(user=group.members[1], session_id=session.pk) is None

    assert intervision_sides_complete() == 1
    assert intervision_sides_complete() == 0

    side = isession_for_member(user=group.members[1], session_id=session.pk)
    assert (side.method.code, side.presenter) == ("kollegiale-beratung", group.members[0])
