"""Reads of knowledge festivals; every one takes the viewing user (rule 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    CharField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from communities.models import Membership, User
from communities.parsing import ascii_int
from events.festivals.conflicts import (
    Placement,
    programme_conflicts,
)
from events.festivals.permissions import is_organiser, is_reviewer
from events.models import (
    Festival,
    Proposal,
    ProposalReview,
    Room,
    Rsvp,
    Session,
    Slot,
    SpeakerProfile,
)
from events.sessions.selectors import going_count_subquery, my_status_subquery, sessions_visible_to


def festivals_visible_to(user: User) -> QuerySet[Festival]:
    """Festivals open to everyone in the organisation, those restricted to a community the
    person is an active member of, and those they organise or review."""
    if not user.is_authenticated:
        return Festival.objects.none()
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    if user.is_staff:
        return Festival.objects.all()
    restricted = Festival.objects.filter(
        Q(communities__in=member_of) | Q(organisers=user) | Q(reviewers=user)
    ).values("pk")
    return Festival.objects.filter(
        Q(audience=Festival.Audience.ORGANISATION) | Q(pk__in=restricted)
    )


def festival_for_viewer(*, user: User, slug: str) -> Festival | None:
    return festivals_visible_to(user).filter(slug=slug).first()


def public_festival_for_feed(slug: str) -> Festival | None:
    """A published organisation-wide festival: the cookie-less feed serves only these."""
    return Festival.objects.filter(
        slug=slug, audience=Festival.Audience.ORGANISATION, published_version__gt=0
    ).first()


def festival_feed_query(festival: Festival) -> QuerySet[Session]:
    """The festival's scheduled sessions as a queryset: the feed reads its validators from it
    in one aggregate query and loads the sessions only to build."""
    return (
        Session.objects.filter(festival=festival, state=Session.State.SCHEDULED)
        .select_related("community")
        .order_by("start", "id")
    )


def festival_feed_sessions(festival: Festival) -> list[Session]:
    """``festival_feed_query`` loaded. One query."""
    return list(festival_feed_query(festival))


@dataclass
class GridDay:
    day: date
    rows: list[dict] = field(default_factory=list)  # {"start", "end", "cells": [...], "span"}


def programme_sessions(
    festival: Festival,
    user: User,
    *,
    track: str = "",
    session_type: str = "",
    level: str = "",
    language: str = "",
) -> list[Proposal]:
    """The placed proposals with their session, room, track and counts, filtered. Constant
    queries: one for the proposals (annotated), one for the co-speakers."""
    proposals = (
        Proposal.objects.filter(festival=festival, slot__isnull=False, session__isnull=False)
        .select_related("slot__room", "track", "speaker", "session")
        .prefetch_related("co_speakers")
        .annotate(
            going=going_count_subquery("session"),
            my_status=my_status_subquery_for(user),
        )
        .order_by("slot__start", "slot__room__position", "pk")
    )
    if (track_id := ascii_int(track)) is not None:
        proposals = proposals.filter(track_id=track_id)
    if session_type in Proposal.Type.values:
        proposals = proposals.filter(session_type=session_type)
    if level in Proposal.Level.values:
        proposals = proposals.filter(level=level)
    if language in Proposal.Language.values:
        proposals = proposals.filter(language=language)
    return list(proposals)


def my_status_subquery_for(user: User):
    if not user.is_authenticated:
        return Value("", output_field=CharField())
    return Subquery(
        Rsvp.objects.filter(session=OuterRef("session"), user=user).values("status")[:1],
        output_field=CharField(),
    )


def programme_days_with_sessions(grid: list[dict]) -> list[dict]:
    """The days of a grid on which at least one session is placed (a day of empty slots, or
    one the filters emptied, is left out of the public programme)."""
    return [
        day
        for day in grid
        if any(cell and cell["proposal"] for row in day["rows"] for cell in row["cells"])
    ]


def programme_grid(festival: Festival, proposals: list[Proposal], slots: list[Slot]) -> list[dict]:
    """Days → rows (one per distinct slot time) → one cell per room. Pure: no queries."""
    zone = ZoneInfo(festival.timezone)
    rooms = sorted({s.room for s in slots if s.room is not None}, key=lambda r: (r.position, r.pk))
    placed = {p.slot_id: p for p in proposals}
    days: dict[date, dict[tuple, dict]] = {}
    for slot in slots:
        local_start = slot.start.astimezone(zone)
        rows = days.setdefault(local_start.date(), {})
        key = (slot.start, slot.end)
        row = rows.setdefault(
            key,
            {
                "start": local_start,
                "end": slot.end.astimezone(zone),
                "cells": {},
                "spanning": None,
            },
        )
        if slot.room is None:
            row["spanning"] = slot
        else:
            row["cells"][slot.room.pk] = {"slot": slot, "proposal": placed.get(slot.pk)}
    result = []
    for day in sorted(days):
        rows = []
        for key in sorted(days[day]):
            row = days[day][key]
            row["cells"] = [row["cells"].get(room.pk) for room in rooms]
            rows.append(row)
        result.append({"day": day, "rows": rows})
    return result


def festival_slots(festival: Festival) -> list[Slot]:
    return list(
        Slot.objects.filter(festival=festival)
        .select_related("room")
        .order_by("start", "room__position", "pk")
    )


def festival_rooms(festival: Festival) -> list[Room]:
    return list(Room.objects.filter(festival=festival))


def festival_page(festival: Festival, user: User, **filters) -> dict:
    """Everything the festival page shows; a constant number of queries whatever its size."""
    slots = festival_slots(festival)
    visible = festival.is_published or is_organiser(user, festival)
    proposals = programme_sessions(festival, user, **filters) if visible else []
    rooms = sorted({s.room for s in slots if s.room is not None}, key=lambda r: (r.position, r.pk))
    picks = [p for p in proposals if p.my_status in (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)]
    return {
        "festival": festival,
        "rooms": rooms,
        "tracks": list(festival.tracks.all()),
        "grid": programme_grid(festival, proposals, slots) if visible else [],
        "proposals": proposals,
        "picks": picks,
        "overlaps": pick_overlaps(picks),
        "now_next": now_and_next(proposals, festival=festival),
        "visible": visible,
    }


def pick_overlaps(picks: list[Proposal]) -> list[tuple[Proposal, Proposal]]:
    """Pairs of my picks that overlap in time (a warning, not a refusal)."""
    ordered = sorted(picks, key=lambda p: (p.session.start, p.pk))
    pairs = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.session.start < first.session.end:
                pairs.append((first, second))
    return pairs


def now_and_next(
    proposals: list[Proposal], *, now: datetime | None = None, festival: Festival | None = None
) -> dict:
    """What runs now and what starts next, only while the festival is on (its own days, in its
    own time zone): a month ahead, "next" would only be the first session of the programme."""
    now = now or timezone.now()
    if festival is not None:
        today = now.astimezone(ZoneInfo(festival.timezone)).date()
        if not festival.starts_on <= today <= festival.ends_on:
            return {"now": [], "next": []}
    running = [p for p in proposals if p.session.start <= now < p.session.end]
    upcoming = [p for p in proposals if p.session.start > now]
    first_next = min((p.session.start for p in upcoming), default=None)
    return {
        "now": running,
        "next": [p for p in upcoming if p.session.start == first_next],
    }


def festival_conflicts_for_builder(festival: Festival):
    return programme_conflicts(festival_placements(festival))


def proposals_for_review(festival: Festival, user: User) -> list[Proposal]:
    """Every proposal with the viewer's own score; the average only once they scored it."""
    mine = ProposalReview.objects.filter(reviewer=user)
    return list(
        Proposal.objects.filter(festival=festival)
        .select_related("speaker", "track", "slot__room")
        .prefetch_related(Prefetch("reviews", queryset=mine, to_attr="my_reviews"))
        .annotate(review_count=Count("reviews"))
        .order_by("state", "created_at", "pk")
    )


def proposal_for_viewer(*, user: User, festival: Festival, proposal_id: int) -> Proposal | None:
    """The speaker, co-speakers, reviewers and organisers see a proposal; nobody else."""
    proposal = (
        Proposal.objects.filter(festival=festival, pk=proposal_id)
        .select_related("speaker", "track", "slot__room", "session")
        .prefetch_related("co_speakers")
        .first()
    )
    if proposal is None or not user.is_authenticated:
        return None
    if proposal.speaker_id == user.pk or user in proposal.co_speakers.all():
        return proposal
    if is_reviewer(user, festival):
        return proposal
    return None


def reviews_visible_to(*, user: User, proposal: Proposal) -> tuple[ProposalReview | None, list]:
    """(my review, the others' reviews): a reviewer sees the others only once they have scored;
    the speaker sees none."""
    reviews = list(proposal.reviews.select_related("reviewer").order_by("created_at", "pk"))
    mine = next((r for r in reviews if r.reviewer_id == user.pk), None)
    if mine is None and not is_organiser(user, proposal.festival):
        return None, []
    if mine is None:
        # Organisers decide; they too see the scores only after scoring, unless they do not review.
        return None, []
    return mine, [r for r in reviews if r.reviewer_id != user.pk]


def my_festival_sessions(user: User, festival: Festival) -> QuerySet[Session]:
    return (
        Session.objects.filter(festival=festival, rsvps__user=user)
        .annotate(my_status=my_status_subquery(user), going_count=going_count_subquery())
        .order_by("start", "pk")
    )


def festival_session_for_viewer(*, user: User, festival: Festival, session_id: int):
    return sessions_visible_to(user).filter(pk=session_id, festival=festival).first()


def festival_attendance(festival: Festival) -> list[Session]:
    """Per session, for the organisers: people going, waitlisted, marked present, and the
    feedback's count and average. One query."""

    return list(
        Session.objects.filter(festival=festival, state=Session.State.SCHEDULED)
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING), distinct=True),
            waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLISTED), distinct=True),
            present=Count("rsvps", filter=Q(rsvps__attended=True), distinct=True),
            feedback_count=Count("feedback", distinct=True),
            feedback_average=Avg("feedback__score"),
        )
        .order_by("start", "pk")
    )


def speaker_page(*, viewer: User, user_id: int) -> dict | None:
    """A speaker's page: their profile and the festival sessions the viewer may see that they
    speak at. None (404) when there are none, unless it is the viewer's own page."""

    speaker = (
        User.objects.filter(pk=user_id, is_active=True).first() if viewer.is_authenticated else None
    )
    if speaker is None:
        return None
    sessions = list(
        sessions_visible_to(viewer)
        .filter(festival__isnull=False, hosts=speaker, state=Session.State.SCHEDULED)
        .select_related("festival")
        .order_by("start", "pk")
    )
    if not sessions and speaker.pk != viewer.pk:
        return None
    profile = SpeakerProfile.objects.filter(user=speaker).defer("photo").first()
    return {"speaker": speaker, "profile": profile, "sessions": sessions}


def speaker_photo(*, viewer: User, user_id: int):
    if speaker_page(viewer=viewer, user_id=user_id) is None:
        return None
    return SpeakerProfile.objects.filter(user_id=user_id).exclude(photo_content_type="").first()


def own_speaker_profile(user: User) -> SpeakerProfile | None:
    """The speaker's own profile, without the photo bytes."""
    return SpeakerProfile.objects.filter(user=user).defer("photo").first()


# --- the grid ---------------------------------------------------------------------------------


def placement_of(proposal: Proposal, slot: Slot, *, audience: int = 0) -> Placement:
    speakers = {proposal.speaker_id} | {person.pk for person in proposal.co_speakers.all()}
    return Placement(
        key=proposal.pk,
        room_id=slot.room_id,
        room_capacity=slot.room.capacity,
        slot_start=slot.start,
        slot_end=slot.end,
        minutes=proposal.duration,
        speakers=frozenset(speakers),
        expected_audience=max(proposal.expected_audience, audience),
    )


def festival_placements(festival: Festival, *, exclude: int | None = None) -> list[Placement]:
    """The grid as the conflict function sees it (one query for proposals, one for speakers,
    one for audiences)."""
    proposals = (
        Proposal.objects.filter(festival=festival, slot__isnull=False)
        .select_related("slot__room")
        .prefetch_related("co_speakers")
        .annotate(
            audience=Count(
                "session__rsvps",
                filter=Q(session__rsvps__status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED]),
            )
        )
    )
    if exclude is not None:
        proposals = proposals.exclude(pk=exclude)
    return [placement_of(p, p.slot, audience=p.audience) for p in proposals]


# --- the day itself ----------------------------------------------------------------------------

CHECK_IN_EARLY = timedelta(minutes=15)


def room_session_now(room: Room, now: datetime | None = None) -> Session | None:
    """The session in this room that one can check in to now: running, or starting within a
    quarter of an hour."""
    now = now or timezone.now()
    return (
        Session.objects.filter(
            proposal__slot__room=room,
            state=Session.State.SCHEDULED,
            start__lte=now + CHECK_IN_EARLY,
            end__gt=now,
        )
        .order_by("start", "pk")
        .first()
    )
