"""Knowledge festivals: call for proposals, review, the grid, publishing, picking."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.models import Community
from communities.services.accounts import account_erase
from events.calendar.services.subscriptions import feed_token_reset
from events.festivals.permissions import is_organiser
from events.festivals.services.day import festival_pick, session_feedback_give
from events.festivals.services.programme import (
    programme_publish,
    proposal_place,
    proposal_unplace,
    room_create,
    slot_create,
)
from events.festivals.services.proposals import (
    proposal_confirm,
    proposal_decide,
    proposal_review,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from events.models import (
    ProgrammeVersion,
    Proposal,
    ProposalReview,
    Rsvp,
    Session,
    Slot,
    SpeakerProfile,
)
from events.sessions.selectors import sessions_visible_to
from tests.events.festivals.festival_helpers import (
    at,
    make_festival,
    make_proposal,
    make_room,
    make_slot,
)
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def english():
    """Services' messages are asserted in English (the views' pages in the person's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def organiser(db):
    return UserFactory(email="org@example.org", display_name="Olga Organiser")


@pytest.fixture
def festival(organiser):
    return make_festival(organiser=organiser)


def submit(festival, speaker, **overrides):
    values = {
        "title": "Pandas in de praktijk",
        "abstract": "Wat we leerden.",
        "session_type": "talk",
        "level": "beginner",
        "language": "nl",
    }
    values.update(overrides)
    return proposal_submit(festival=festival, speaker=speaker, **values)


# --- call for proposals -----------------------------------------------------------------------


def test_proposal_submit_stores_the_proposal_with_the_types_default_duration(festival, member):
    track = TrackFactory(festival=festival, name="Data")
    proposal = submit(festival, member, track=track)
    assert (proposal.state, proposal.duration, proposal.track_id, proposal.speaker_id) == (
        "submitted",
        25,
        track.pk,
        member.pk,
    )


def test_proposal_submit_after_the_deadline_is_refused_and_stores_nothing(festival, member):
    later = festival.cfp_closes_at + timedelta(seconds=1)
    with pytest.raises(DomainError) as error:
        submit(festival, member, now=later)
    assert error.value.code == "cfp_closed"
    assert Proposal.objects.count() == 0


def test_proposal_submit_before_opening_is_refused(festival, member):
    with pytest.raises(DomainError) as error:
        submit(festival, member, now=festival.cfp_opens_at - timedelta(minutes=1))
    assert error.value.code == "cfp_not_open"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"session_type": "keynote"}, "type"),
        ({"session_type": "workshop", "duration": 30}, "duration"),
        ({"session_type": "lightning", "duration": 11}, "duration"),
        ({"level": "guru"}, "level"),
        ({"language": "de"}, "language"),
        ({"title": "  "}, "required"),
    ],
)
def test_proposal_submit_bad_input_is_refused(festival, member, overrides, code):
    with pytest.raises(DomainError) as error:
        submit(festival, member, **overrides)
    assert error.value.code == code
    assert Proposal.objects.count() == 0


def test_proposal_co_speaker_who_is_not_a_user_is_refused_with_a_clear_message(festival, member):
    with pytest.raises(DomainError) as error:
        submit(festival, member, co_speaker_emails=["nobody@example.org"])
    assert error.value.code == "co_speaker_unknown"
    assert "nobody@example.org" in error.value.message
    assert Proposal.objects.count() == 0


def test_proposal_co_speakers_are_linked(festival, member, other_user):
    proposal = submit(festival, member, co_speaker_emails=[other_user.email.upper()])
    assert list(proposal.co_speakers.values_list("pk", flat=True)) == [other_user.pk]


def test_proposal_update_until_the_deadline_then_refused(festival, member):
    proposal = submit(festival, member)
    proposal_update(proposal_id=proposal.pk, speaker=member, title="Nieuwe titel")
    proposal.refresh_from_db()
    assert proposal.title == "Nieuwe titel"
    with pytest.raises(DomainError) as error:
        proposal_update(
            proposal_id=proposal.pk,
            speaker=member,
            title="Te laat",
            now=festival.cfp_closes_at,
        )
    assert error.value.code == "cfp_closed"
    proposal.refresh_from_db()
    assert proposal.title == "Nieuwe titel"


def test_proposal_withdraw_is_idempotent(festival, member):
    proposal = submit(festival, member)
    proposal_withdraw(proposal_id=proposal.pk, speaker=member)
    proposal_withdraw(proposal_id=proposal.pk, speaker=member)
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


# --- review and decisions ---------------------------------------------------------------------


def test_proposal_review_replaces_the_reviewers_score(festival, organiser, member):
    proposal = submit(festival, member)
    proposal_review(proposal_id=proposal.pk, reviewer=organiser, score=3)
    proposal_review(proposal_id=proposal.pk, reviewer=organiser, score=5, comment="Top")
    assert list(ProposalReview.objects.values_list("score", "comment")) == [(5, "Top")]


@pytest.mark.parametrize("score", [0, 6, -1])
def test_proposal_review_score_out_of_range_is_refused(festival, organiser, member, score):
    proposal = submit(festival, member)
    with pytest.raises(DomainError):
        proposal_review(proposal_id=proposal.pk, reviewer=organiser, score=score)
    assert ProposalReview.objects.count() == 0


def test_proposal_review_by_someone_who_does_not_review_is_not_found(festival, member, other_user):
    proposal = submit(festival, member)
    with pytest.raises(DomainError) as error:
        proposal_review(proposal_id=proposal.pk, reviewer=other_user, score=4)
    assert error.value.code == "not_found"


def test_reviewers_see_each_others_scores_only_after_scoring(client, festival, organiser, member):
    reviewer = UserFactory(display_name="Rita Reviewer")
    festival.reviewers.add(reviewer)
    proposal = submit(festival, member)
    proposal_review(proposal_id=proposal.pk, reviewer=organiser, score=2, comment="Zwak punt")
    client.force_login(reviewer)
    url = f"/festivals/{festival.slug}/proposals/{proposal.pk}/"
    before = client.get(url).content.decode()
    assert "Zwak punt" not in before
    client.post(url + "review/", {"score": "4", "comment": "Goed"})
    after = client.get(url).content.decode()
    assert "Zwak punt" in after
    # The speaker never sees the scores.
    client.force_login(member)
    assert "Zwak punt" not in client.get(url).content.decode()


def test_proposal_decide_mails_the_speaker_once(festival, organiser, member):
    proposal = submit(festival, member)
    proposal_decide(proposal_id=proposal.pk, organiser=organiser, decision="accepted")
    proposal_decide(proposal_id=proposal.pk, organiser=organiser, decision="accepted")
    mails = list(OutboxMessage.objects.values_list("kind", "to_email"))
    assert mails == [("festival_decision", member.email)]
    proposal_confirm(proposal_id=proposal.pk, speaker=member)
    proposal.refresh_from_db()
    assert proposal.state == "confirmed"


def test_proposal_decide_by_a_non_organiser_is_refused(festival, member, other_user):
    proposal = submit(festival, member)
    with pytest.raises(DomainError):
        proposal_decide(proposal_id=proposal.pk, organiser=other_user, decision="accepted")
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    assert OutboxMessage.objects.count() == 0


# --- slots and rooms --------------------------------------------------------------------------


def test_slot_outside_the_festivals_dates_is_refused(festival, organiser):
    room = make_room(festival)
    with pytest.raises(DomainError) as error:
        slot_create(
            festival=festival,
            organiser=organiser,
            room=room,
            start=at(festival, "10:00", day=2),
            end=at(festival, "10:30", day=2),
        )
    assert error.value.code == "outside"
    assert Slot.objects.count() == 0


def test_overlapping_slots_in_one_room_are_refused(festival, organiser):
    room = make_room(festival)
    slot_create(
        festival=festival,
        organiser=organiser,
        room=room,
        start=at(festival, "10:00"),
        end=at(festival, "10:30"),
    )
    with pytest.raises(DomainError) as error:
        slot_create(
            festival=festival,
            organiser=organiser,
            room=room,
            start=at(festival, "10:15"),
            end=at(festival, "10:45"),
        )
    assert error.value.code == "slot_overlap"
    assert Slot.objects.count() == 1


def test_slot_ending_before_it_starts_is_refused(festival, organiser):
    room = make_room(festival)
    with pytest.raises(DomainError) as error:
        slot_create(
            festival=festival,
            organiser=organiser,
            room=room,
            start=at(festival, "10:30"),
            end=at(festival, "10:00"),
        )
    assert error.value.code == "order"


@pytest.mark.parametrize("capacity", [0, -5])
def test_room_with_zero_or_negative_capacity_is_refused(festival, organiser, capacity):
    with pytest.raises(DomainError) as error:
        room_create(festival=festival, organiser=organiser, name="Kelder", capacity=capacity)
    assert error.value.code == "capacity"
    assert festival.rooms.count() == 0


# --- placing ----------------------------------------------------------------------------------


def test_proposal_place_creates_the_festival_session(festival, organiser, member):
    room = make_room(festival, "Zaal A", 40)
    slot = make_slot(festival, room, "10:00", "10:30")
    proposal = make_proposal(festival, member, title="Data mesh")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    proposal.refresh_from_db()
    session = proposal.session
    assert (
        session.festival_id,
        session.community_id,
        session.title,
        session.start,
        session.end,
        session.capacity,
        session.location,
        list(session.hosts.values_list("pk", flat=True)),
    ) == (
        festival.pk,
        None,
        "Data mesh",
        slot.start,
        slot.start + timedelta(minutes=25),
        40,
        "Zaal A, Stadhuis",
        [member.pk],
    )


def test_place_refuses_a_speaker_in_two_places(festival, organiser, member):
    rooms = [make_room(festival, "A"), make_room(festival, "B")]
    slots = [make_slot(festival, room, "10:00", "10:30") for room in rooms]
    first = make_proposal(festival, member, title="Eerste")
    second = make_proposal(festival, member, title="Tweede")
    proposal_place(proposal_id=first.pk, slot_id=slots[0].pk, organiser=organiser)
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=second.pk, slot_id=slots[1].pk, organiser=organiser)
    assert error.value.code == "conflict"
    assert "two places at once" in error.value.message
    second.refresh_from_db()
    assert (second.slot_id, second.session_id) == (None, None)


def test_place_refuses_an_occupied_slot(festival, organiser, member, other_user):
    slot = make_slot(festival, make_room(festival), "10:00", "10:30")
    first = make_proposal(festival, member)
    second = make_proposal(festival, other_user)
    proposal_place(proposal_id=first.pk, slot_id=slot.pk, organiser=organiser)
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=second.pk, slot_id=slot.pk, organiser=organiser)
    assert "used twice" in error.value.message


def test_place_refuses_a_session_longer_than_its_slot(festival, organiser, member):
    slot = make_slot(festival, make_room(festival), "10:00", "10:30")
    workshop = make_proposal(festival, member, session_type="workshop", duration=60)
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=workshop.pk, slot_id=slot.pk, organiser=organiser)
    assert "longer than its slot" in error.value.message


def test_moving_a_session_to_a_room_too_small_for_its_picks_is_refused(festival, organiser, member):
    big = make_slot(festival, make_room(festival, "Groot", 40), "10:00", "10:30")
    small = make_slot(festival, make_room(festival, "Klein", 2), "11:00", "11:30")
    proposal = make_proposal(festival, member)
    proposal_place(proposal_id=proposal.pk, slot_id=big.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    proposal.refresh_from_db()
    for _n in range(3):
        festival_pick(session_id=proposal.session_id, user=UserFactory())
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=proposal.pk, slot_id=small.pk, organiser=organiser)
    assert "more people than the room holds" in error.value.message
    proposal.refresh_from_db()
    assert proposal.slot_id == big.pk


def test_only_accepted_proposals_are_placed(festival, organiser, member):
    slot = make_slot(festival, make_room(festival), "10:00", "10:30")
    proposal = make_proposal(festival, member, state="submitted")
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    assert error.value.code == "not_accepted"


def test_place_in_a_break_is_refused(festival, organiser, member):
    pause = make_slot(festival, None, "12:00", "12:30", kind="break")
    proposal = make_proposal(festival, member)
    with pytest.raises(DomainError) as error:
        proposal_place(proposal_id=proposal.pk, slot_id=pause.pk, organiser=organiser)
    assert error.value.code == "slot_kind"


# --- publishing and the change list -----------------------------------------------------------


def test_publish_makes_versions_with_the_change_list(festival, organiser, member, other_user):
    room = make_room(festival, "A")
    early = make_slot(festival, room, "10:00", "10:30")
    late = make_slot(festival, room, "11:00", "11:30")
    other = make_slot(festival, room, "14:00", "14:30")
    kept = make_proposal(festival, member, title="Blijft")
    moved = make_proposal(festival, other_user, title="Verhuist")
    proposal_place(proposal_id=kept.pk, slot_id=early.pk, organiser=organiser)
    proposal_place(proposal_id=moved.pk, slot_id=late.pk, organiser=organiser)
    first = programme_publish(festival=festival, organiser=organiser)
    assert (first.number, [c["change"] for c in first.changes]) == (1, ["added", "added"])

    with pytest.raises(DomainError) as error:
        programme_publish(festival=festival, organiser=organiser)
    assert error.value.code == "unchanged"

    proposal_place(proposal_id=moved.pk, slot_id=other.pk, organiser=organiser)
    proposal_unplace(proposal_id=kept.pk, organiser=organiser)
    second = programme_publish(festival=festival, organiser=organiser)
    assert second.number == 2
    assert [(c["change"], c["title"]) for c in second.changes] == [
        ("removed", "Blijft"),
        ("changed", "Verhuist"),
    ]
    assert second.changes[1]["fields"] == ["start", "end"]
    festival.refresh_from_db()
    assert festival.published_version == 2
    assert ProgrammeVersion.objects.filter(festival=festival).count() == 2


def test_a_change_after_publishing_updates_the_calendars_of_who_picked_it(
    festival, organiser, member
):
    room = make_room(festival, "A")
    first_slot = make_slot(festival, room, "10:00", "10:30")
    later_slot = make_slot(festival, room, "15:00", "15:30")
    proposal = make_proposal(festival, UserFactory(), title="Verplaatst")
    proposal_place(proposal_id=proposal.pk, slot_id=first_slot.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    proposal.refresh_from_db()
    festival_pick(session_id=proposal.session_id, user=member)
    invites = OutboxMessage.objects.filter(to_email=member.email, kind="calendar_request")
    assert invites.count() == 1
    proposal_place(proposal_id=proposal.pk, slot_id=later_slot.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    assert invites.count() == 2
    proposal.session.refresh_from_db()
    assert proposal.session.sequence == 1


def test_publish_with_nothing_placed_is_refused(festival, organiser):
    with pytest.raises(DomainError) as error:
        programme_publish(festival=festival, organiser=organiser)
    assert error.value.code == "empty"


# --- visibility and picking -------------------------------------------------------------------


def placed_session(festival, organiser, *, capacity=40):
    slot = make_slot(festival, make_room(festival, f"Zaal {capacity}", capacity), "10:00", "10:30")
    proposal = make_proposal(festival, UserFactory(), title="Populair")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    proposal.refresh_from_db()
    return proposal.session


def test_festival_sessions_are_hidden_until_published(festival, organiser, member):
    session = placed_session(festival, organiser)
    assert not sessions_visible_to(member).filter(pk=session.pk).exists()
    with pytest.raises(DomainError) as error:
        festival_pick(session_id=session.pk, user=member)
    assert error.value.code == "not_found"
    programme_publish(festival=festival, organiser=organiser)
    assert sessions_visible_to(member).filter(pk=session.pk).exists()


def test_restricted_festival_sessions_are_seen_by_members_of_its_communities_only(
    organiser, member, other_user
):
    community = CommunityFactory(visibility=Community.Visibility.PRIVATE)
    MembershipFactory(user=member, community=community)
    festival = make_festival(organiser=organiser, audience="communities")
    festival.communities.add(community)
    session = placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    assert sessions_visible_to(member).filter(pk=session.pk).exists()
    assert not sessions_visible_to(other_user).filter(pk=session.pk).exists()
    rsvp = festival_pick(session_id=session.pk, user=member)
    assert rsvp.status == "going"
    with pytest.raises(DomainError):
        festival_pick(session_id=session.pk, user=other_user)


def test_pick_when_full_waitlists(festival, organiser, member, other_user):
    session = placed_session(festival, organiser, capacity=1)
    programme_publish(festival=festival, organiser=organiser)
    assert festival_pick(session_id=session.pk, user=member).status == "going"
    waiting = festival_pick(session_id=session.pk, user=other_user)
    assert (waiting.status, waiting.position) == ("waitlisted", 1)
    festival_pick(session_id=session.pk, user=member, pick=False)
    waiting.refresh_from_db()
    assert waiting.status == "going"


def test_pick_of_a_session_that_is_not_a_festivals_is_not_found(member):

    session = SessionFactory()
    with pytest.raises(DomainError) as error:
        festival_pick(session_id=session.pk, user=member)
    assert error.value.code == "not_found"
    assert Rsvp.objects.count() == 0


def test_overlapping_picks_are_warned_about_on_the_festival_page(
    client, festival, organiser, member
):
    rooms = [make_room(festival, "A"), make_room(festival, "B")]
    for room, title in zip(rooms, ["Links", "Rechts"], strict=True):
        slot = make_slot(festival, room, "10:00", "10:30")
        proposal = make_proposal(festival, UserFactory(), title=title)
        proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    client.force_login(member)
    for proposal in Proposal.objects.filter(festival=festival):
        response = client.post(f"/festivals/{festival.slug}/sessions/{proposal.session_id}/pick/")
        assert response.status_code == 302
    page = client.get(f"/festivals/{festival.slug}/").content.decode()
    assert "Twee van je keuzes overlappen: Links en Rechts." in page  # the member reads Dutch


def test_picks_are_in_the_personal_feed(client, festival, organiser, member):

    session = placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    festival_pick(session_id=session.pk, user=member)
    token = feed_token_reset(user=member)
    body = client.get(f"/calendar/{token}.ics").content.decode()
    assert "SUMMARY:Populair" in body


# --- feeds ------------------------------------------------------------------------------------


def test_festival_feed_serves_published_public_festivals_with_etag(client, festival, organiser):
    placed_session(festival, organiser)
    assert client.get(f"/festivals/{festival.slug}/calendar.ics").status_code == 404
    programme_publish(festival=festival, organiser=organiser)
    response = client.get(f"/festivals/{festival.slug}/calendar.ics")
    assert response.status_code == 200
    assert "SUMMARY:Populair" in response.content.decode()
    again = client.get(
        f"/festivals/{festival.slug}/calendar.ics", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_restricted_festival_feed_only_under_a_members_token(client, organiser, member, other_user):

    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    festival = make_festival(organiser=organiser, audience="communities", slug="besloten")
    festival.communities.add(community)
    placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    assert client.get("/festivals/besloten/calendar.ics").status_code == 404
    mine = feed_token_reset(user=member)
    theirs = feed_token_reset(user=other_user)
    assert client.get(f"/calendar/{mine}/festivals/besloten.ics").status_code == 200
    assert client.get(f"/calendar/{theirs}/festivals/besloten.ics").status_code == 404


# --- views: bad input never 500 ---------------------------------------------------------------


def test_propose_view_after_the_deadline_shows_a_message(client, member, organiser):
    now = timezone.now()
    festival = make_festival(
        organiser=organiser,
        cfp_opens_at=now - timedelta(days=5),
        cfp_closes_at=now - timedelta(days=1),
    )
    client.force_login(member)
    response = client.post(
        f"/festivals/{festival.slug}/propose/",
        {"title": "Laat", "abstract": "x", "session_type": "talk", "level": "beginner",
         "language": "nl"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "De oproep voor bijdragen is gesloten" in response.content.decode()
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"proposal": "x", "slot": "y"},
        {"proposal": "999999", "slot": "1"},
        {"proposal": "1", "slot": "99999999999999999999"},
    ],
)
def test_place_view_with_nonsense_answers_with_a_message(client, festival, organiser, data):
    client.force_login(organiser)
    response = client.post(f"/festivals/{festival.slug}/programme/place/", data, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"day": "nope", "start": "10:00", "end": "11:00"},
        {"day": "2020-01-01", "start": "10:00", "end": "11:00", "kind": "break"},
        {"day": "2020-01-01", "start": "25:00", "end": "11:00", "room": "abc"},
    ],
)
def test_slot_view_with_nonsense_changes_nothing(client, festival, organiser, data):
    client.force_login(organiser)
    response = client.post(f"/festivals/{festival.slug}/programme/slots/", data, follow=True)
    assert response.status_code == 200
    assert Slot.objects.count() == 0


def test_staff_organise_every_festival(festival):
    staff = StaffFactory()

    assert is_organiser(staff, festival) is True


# --- on the day and after ---------------------------------------------------------------------


def started_session(festival, organiser, speaker, attendee, time_machine):
    """A placed, published session that attendee picked; the clock is moved to its start."""
    slot = make_slot(festival, make_room(festival, "Zaal F", 40), "10:00", "10:30")
    proposal = make_proposal(festival, speaker, title="Na afloop")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    proposal.refresh_from_db()
    festival_pick(session_id=proposal.session_id, user=attendee)
    time_machine.move_to(slot.start + timedelta(minutes=5))
    return proposal.session


def test_feedback_is_given_by_attendees_and_read_only_by_the_speaker(
    client, festival, organiser, member, other_user, time_machine
):
    speaker = UserFactory(display_name="Sam Speaker")
    session = started_session(festival, organiser, speaker, member, time_machine)
    url = f"/festivals/{festival.slug}/sessions/{session.pk}/feedback/"
    client.force_login(member)
    client.post(url, {"score": "4", "remark": "Helder verhaal"})
    client.post(url, {"score": "5", "remark": "Helder verhaal!"})
    assert list(session.feedback.values_list("user_id", "score", "remark")) == [
        (member.pk, 5, "Helder verhaal!")
    ]
    # Someone who did not go may not give it (and does not see the page).
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "1"}).status_code == 404
    # The organiser runs the session but does not read the remarks; the speaker does.
    client.force_login(organiser)
    assert "Helder verhaal!" not in client.get(url).content.decode()
    client.force_login(speaker)
    assert "Helder verhaal!" in client.get(url).content.decode()


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_feedback_with_a_bad_score_changes_nothing(
    client, festival, organiser, member, time_machine, score
):
    session = started_session(festival, organiser, UserFactory(), member, time_machine)
    client.force_login(member)
    response = client.post(
        f"/festivals/{festival.slug}/sessions/{session.pk}/feedback/",
        {"score": score},
        follow=True,
    )
    assert response.status_code == 200
    assert session.feedback.count() == 0


def test_feedback_before_the_session_starts_is_refused(festival, organiser, member):

    session = placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    festival_pick(session_id=session.pk, user=member)
    with pytest.raises(DomainError) as error:
        session_feedback_give(session_id=session.pk, user=member, score=4)
    assert error.value.code == "not_attended"


def test_speaker_adds_slides_and_recording_links(client, festival, organiser, member, time_machine):
    speaker = UserFactory()
    session = started_session(festival, organiser, speaker, member, time_machine)
    url = f"/festivals/{festival.slug}/sessions/{session.pk}/feedback/"
    client.force_login(speaker)
    client.post(url, {"materials": "https://example.org/slides.pdf\njavascript:alert(1)"})
    session.refresh_from_db()
    assert session.materials == ""
    client.post(url, {"materials": "https://example.org/slides.pdf\n\nhttps://example.org/video"})
    session.refresh_from_db()
    assert session.materials_links() == [
        "https://example.org/slides.pdf",
        "https://example.org/video",
    ]
    # An attendee cannot change them.
    client.force_login(member)
    client.post(url, {"materials": "https://evil.example/"})
    session.refresh_from_db()
    assert session.materials_links()[0] == "https://example.org/slides.pdf"


def test_organisers_check_people_in_and_see_attendance(
    client, festival, organiser, member, time_machine
):
    session = started_session(festival, organiser, UserFactory(), member, time_machine)
    client.force_login(organiser)
    assert client.get(f"/sessions/{session.pk}/attendance/").status_code == 200
    client.post(f"/sessions/{session.pk}/attendance/", {"attended": [str(member.pk)]})
    assert Rsvp.objects.get(session=session, user=member).attended is True
    builder = client.get(f"/festivals/{festival.slug}/programme/")
    assert builder.context["attendance"][0].present == 1
    assert builder.context["attendance"][0].going == 1


def test_a_festival_session_is_not_edited_outside_the_programme(client, festival, organiser):
    session = placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    speaker = session.hosts.get()
    client.force_login(speaker)
    response = client.get(f"/sessions/{session.pk}/edit/", follow=True)
    assert "wijzig je op het programma van het festival" in response.content.decode()
    response = client.post(f"/sessions/{session.pk}/cancel/", {"reason": "x"}, follow=True)
    session.refresh_from_db()
    assert session.state == "scheduled"


def test_erasing_a_speaker_keeps_the_session_on_the_programme(festival, organiser, member):

    slot = make_slot(festival, make_room(festival), "10:00", "10:30")
    proposal = make_proposal(festival, member, title="Blijft staan")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    session_id = Proposal.objects.get(pk=proposal.pk).session_id
    account_erase(user=member)
    assert Proposal.objects.filter(pk=proposal.pk).count() == 0

    session = Session.objects.get(pk=session_id)
    assert (session.title, session.hosts.count()) == ("Blijft staan", 0)


# --- speaker pages ----------------------------------------------------------------------------


def _png() -> bytes:

    buffer = BytesIO()
    Image.new("RGB", (2, 2), "#1f6feb").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def test_speaker_edits_their_page_and_others_see_it_with_their_sessions(
    client, festival, organiser, member, other_user
):

    slot = make_slot(festival, make_room(festival), "10:00", "10:30")
    proposal = make_proposal(festival, member, title="Mijn sessie")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    client.force_login(member)
    response = client.post(
        "/speakers/me/",
        {"bio": "Ik werk met *data*.", "photo": SimpleUploadedFile("me.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    # Not published yet: others do not find the page; after publishing they do.
    client.force_login(other_user)
    assert client.get(f"/speakers/{member.pk}/").status_code == 404
    programme_publish(festival=festival, organiser=organiser)
    page = client.get(f"/speakers/{member.pk}/").content.decode()
    assert "<em>data</em>" in page
    assert "Mijn sessie" in page
    photo = client.get(f"/speakers/{member.pk}/photo/")
    assert (photo.status_code, photo["Content-Type"], photo.content) == (200, "image/png", PNG)


def test_speaker_photo_that_is_not_an_image_is_refused(client, member):

    client.force_login(member)
    response = client.post(
        "/speakers/me/",
        {"bio": "x", "photo": SimpleUploadedFile("me.png", b"<svg>", "image/png")},
    )
    assert response.status_code == 400  # the form again, as a bad request

    assert SpeakerProfile.objects.filter(user=member).count() == 0


def test_a_person_without_festival_sessions_has_no_public_speaker_page(client, member, other_user):
    client.force_login(other_user)
    assert client.get(f"/speakers/{member.pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"/speakers/{member.pk}/").status_code == 200


# --- self check-in with the room's page -------------------------------------------------------


def test_attendee_checks_in_with_the_rooms_page(client, festival, organiser, member, time_machine):
    session = started_session(festival, organiser, UserFactory(), member, time_machine)
    room = session.proposal.slot.room
    url = f"/festivals/{festival.slug}/rooms/{room.pk}/check-in/"
    client.force_login(member)
    page = client.get(url)
    assert page.context["session"] == session
    assert Rsvp.objects.get(session=session, user=member).attended is None  # GET changes nothing
    client.post(url)
    client.post(url)
    assert Rsvp.objects.get(session=session, user=member).attended is True
    # Someone who did not pick it is taken in as going (a seat was free).
    walk_in = UserFactory()
    client.force_login(walk_in)
    client.post(url)
    assert Rsvp.objects.filter(session=session, user=walk_in).values_list(
        "status", "attended"
    ).get() == ("going", True)


def test_check_in_when_nothing_is_on_changes_nothing(client, festival, organiser, member):
    session = placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    room = session.proposal.slot.room
    client.force_login(member)
    response = client.post(f"/festivals/{festival.slug}/rooms/{room.pk}/check-in/", follow=True)
    assert response.status_code == 200
    assert Rsvp.objects.count() == 0


def test_co_speakers_are_asked_once_and_confirm(client, festival, member, other_user):
    proposal = submit(festival, member, co_speaker_emails=[other_user.email])
    proposal_update(proposal_id=proposal.pk, speaker=member, co_speaker_emails=[other_user.email])
    asked = OutboxMessage.objects.filter(kind="festival_co_speaker")
    assert list(asked.values_list("to_email", flat=True)) == [other_user.email]
    client.force_login(other_user)
    url = f"/festivals/{festival.slug}/proposals/{proposal.pk}/"
    assert client.get(url).status_code == 200
    client.post(url + "co-speaker/")
    row = proposal.co_speaker_rows.get()
    assert (row.user_id, row.confirmed_at is not None) == (other_user.pk, True)
    # Someone who is not a co-speaker cannot confirm.
    client.force_login(UserFactory())
    assert client.post(url + "co-speaker/").status_code == 404


def test_moving_to_a_bigger_room_promotes_the_waitlist(festival, organiser, member, other_user):
    small = make_slot(festival, make_room(festival, "Klein", 1), "10:00", "10:30")
    big = make_slot(festival, make_room(festival, "Groot", 10), "11:00", "11:30")
    proposal = make_proposal(festival, UserFactory(), title="Gewild")
    proposal_place(proposal_id=proposal.pk, slot_id=small.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    proposal.refresh_from_db()
    festival_pick(session_id=proposal.session_id, user=member)
    assert festival_pick(session_id=proposal.session_id, user=other_user).status == "waitlisted"
    proposal_place(proposal_id=proposal.pk, slot_id=big.pk, organiser=organiser)
    assert Rsvp.objects.get(user=other_user).status == "going"


@pytest.mark.parametrize(
    "query",
    ["track=99999999999999999999", "track=x&level=guru&language=de&session_type=keynote", "level="],
)
def test_festival_page_filters_with_nonsense_still_answer(client, festival, organiser, member,
                                                          query):  # fmt: skip
    placed_session(festival, organiser)
    programme_publish(festival=festival, organiser=organiser)
    client.force_login(member)
    assert client.get(f"/festivals/{festival.slug}/?{query}").status_code == 200


def test_proposal_page_with_an_id_out_of_range_is_not_found(client, festival, member):
    client.force_login(member)
    response = client.get(f"/festivals/{festival.slug}/proposals/99999999999999999999/")
    assert response.status_code == 404


def test_attendees_write_takeaways_on_a_festival_session(
    client, festival, organiser, member, other_user, time_machine
):
    session = started_session(festival, organiser, UserFactory(), member, time_machine)
    client.force_login(member)
    client.post(
        f"/sessions/{session.pk}/takeaways/",
        {"title": "Begin klein", "body": "Eén dataset.", "visibility": "organisation"},
    )
    assert list(session.takeaways.values_list("title", "author_id")) == [("Begin klein", member.pk)]
    # The festival's audience (here: everyone) reads it on the session page.
    client.force_login(other_user)
    assert "Begin klein" in client.get(f"/sessions/{session.pk}/").content.decode()
