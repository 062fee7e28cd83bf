"""Reads of series; each takes the viewer."""

from django.db.models import (
    Q,
)

from communities.models import Community, Membership, User
from events.models import Series, SeriesRsvp


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
