"""Recognition, opt-in (rule 11): what a person contributed, and whom to thank."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
)
from django.utils import timezone

from communities.models import Community, User
from events.models import Session, Takeaway, TakeawayHelpful
from events.takeaways.extensions import contribution_count
from events.takeaways.selectors.reading import (
    attach_helpful,
    in_community_q,
    takeaways_visible_to,
    with_listing_data,
)


@dataclass(frozen=True)
class Contributions:
    sessions_hosted: int
    cases_brought: int
    takeaways_written: int
    helpful_received: int


def contributions_of(person: User) -> Contributions:
    """What a person shared, as counts. Cases brought are what the intervision app registers
    (the sessions the person presented at; never which case). Four queries at most."""
    hosted = Session.objects.filter(
        hosts=person, state=Session.State.SCHEDULED, end__lte=timezone.now()
    ).count()
    written = Takeaway.objects.filter(author=person, archived_at__isnull=True).exclude(
        visibility=Takeaway.Visibility.PRIVATE
    )
    helpful = TakeawayHelpful.objects.filter(takeaway__in=written).exclude(user=person).count()
    return Contributions(
        sessions_hosted=hosted,
        cases_brought=contribution_count("cases_brought", person),
        takeaways_written=written.count(),
        helpful_received=helpful,
    )


def person_shared_takeaways(*, viewer: User, person: User, limit: int = 10) -> list[Takeaway]:
    """The person's shared takeaways the viewer may read (their recognition page)."""
    return attach_helpful(
        with_listing_data(
            takeaways_visible_to(viewer)
            .filter(author=person, archived_at__isnull=True, superseded_by__isnull=True)
            .exclude(visibility=Takeaway.Visibility.PRIVATE),
            viewer,
        ).order_by("-created_at", "-id")[:limit],
        viewer,
    )


def contributors_to_thank(*, community: Community, since, until=None) -> list[User]:
    """People who opted in to recognition and shared something in the community in the period
    (hosted a session or wrote a shared takeaway): named with thanks in its weekly digest."""
    until = until or timezone.now()
    hosted = Session.objects.filter(
        community=community,
        hosts=OuterRef("pk"),
        state=Session.State.SCHEDULED,
        end__gte=since,
        end__lt=until,
    )
    wrote = Takeaway.objects.filter(
        in_community_q(id=community.pk),
        author=OuterRef("pk"),
        created_at__gte=since,
        created_at__lt=until,
        hidden_at__isnull=True,
    ).exclude(visibility=Takeaway.Visibility.PRIVATE)
    return list(
        User.objects.filter(show_contributions=True, is_active=True)
        .filter(Exists(hosted) | Exists(wrote))
        .order_by("display_name", "email")
    )
