"""Reads of series; each takes the viewer."""

from datetime import datetime

from django.db.models import Count, Min, Q

from communities.models import Community, Membership, User
from events.models import Rsvp, Series, SeriesRsvp, Session
from events.sessions.selectors import sessions_visible_to


def series_for_viewer(*, user: User, series_id: int) -> Series | None:
    """A series the viewer may see: as its sessions, by its community (sessions_visible_to)."""
    if not user.is_authenticated:
        return None
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    return (
        Series.objects.filter(pk=series_id, community__archived=False)
        .filter(
            Q(community__visibility=Community.Visibility.PUBLIC) | Q(community_id__in=member_of)
        )
        .select_related("community")
        .first()
    )


def goes_to_series(*, user: User, series_id: int | None) -> bool:
    """Whether the viewer has the standing answer "going to all upcoming" for this series."""
    if series_id is None or not user.is_authenticated:
        return False
    return SeriesRsvp.objects.filter(
        series_id=series_id, user=user, status=SeriesRsvp.Status.GOING
    ).exists()


def series_visible_to(user: User, series_id: int) -> Series | None:
    return series_for_viewer(user=user, series_id=series_id)


def series_occurrences_for(*, user: User, series: Series) -> list:
    """The series' sessions the viewer may see, in order, each with ``my_status`` (the
    viewer's answer or ""): two queries however many occurrences there are."""
    occurrences = list(
        sessions_visible_to(user).filter(series_id=series.pk).order_by("start", "id")
    )
    answers = dict(
        Rsvp.objects.filter(user=user, session__in=[o.pk for o in occurrences]).values_list(
            "session_id", "status"
        )
    )
    for occurrence in occurrences:
        occurrence.my_status = answers.get(occurrence.pk, "")
    return occurrences


def community_series_upcoming(*, community: Community, now: datetime) -> list[Series]:
    """The community's series that still have an upcoming, not cancelled session, each with
    ``next_start`` and ``upcoming_count``: what an invitation offers to answer at once."""
    upcoming = Q(occurrences__start__gt=now, occurrences__state=Session.State.SCHEDULED)
    return list(
        Series.objects.filter(community=community, ended=False)
        .annotate(
            next_start=Min("occurrences__start", filter=upcoming),
            upcoming_count=Count("occurrences", filter=upcoming),
        )
        .filter(upcoming_count__gt=0)
        .order_by("next_start", "id")
    )
