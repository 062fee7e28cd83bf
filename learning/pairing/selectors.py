"""Reads of pairing: which programmes a person may join, their place in them, their pairs."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from communities.models import Membership, User
from communities.permissions import can_manage_community
from learning.pairing.models import Pair, PairingOptIn, PairingProgramme


def programmes_for(user: User) -> QuerySet[PairingProgramme]:
    """The organisation's programme and those of communities the person is an active member
    of, each with the number of participants and whether the person takes part."""
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    return (
        PairingProgramme.objects.filter(active=True)
        .filter(
            Q(community__isnull=True) | Q(community_id__in=member_of, community__archived=False)
        )
        .select_related("community")
        .annotate(
            participants=Count("opt_ins", distinct=True),
            joined=Exists(PairingOptIn.objects.filter(programme=OuterRef("pk"), user=user)),
        )
        .order_by("community__name", "name", "id")
    )


def programme_for(*, user: User, programme_id: int) -> PairingProgramme | None:
    return programmes_for(user).filter(pk=programme_id).first()


def opt_ins_of(user: User) -> dict[int, PairingOptIn]:
    return {o.programme_id: o for o in PairingOptIn.objects.filter(user=user)}


def latest_pairs_of(user: User) -> dict[int, Pair]:
    """The person's pair in the latest round of each programme, by programme id."""
    pairs = (
        Pair.objects.filter(Q(first=user) | Q(second=user) | Q(third=user))
        .select_related("round", "first", "second", "third")
        .order_by("round__programme_id", "-round__number")
    )
    latest: dict[int, Pair] = {}
    for pair in pairs[:200]:
        latest.setdefault(pair.round.programme_id, pair)
    return latest


def may_run(user: User, programme: PairingProgramme, *, led_ids: set[int] | None = None) -> bool:
    """Staff run the organisation's programme; a community's coordinators run theirs.
    ``led_ids``: the ids of ``communities_led_by(user)``, when a page asks for many."""
    if programme.community_id is None:
        return user.is_staff
    if led_ids is not None:
        return programme.community_id in led_ids
    return can_manage_community(user, programme.community)


def earlier_groups(programme: PairingProgramme) -> list[tuple[int, ...]]:
    return [
        tuple(pk for pk in row if pk)
        for row in Pair.objects.filter(round__programme=programme).values_list(
            "first_id", "second_id", "third_id"
        )
    ]


def participants(programme: PairingProgramme) -> QuerySet[PairingOptIn]:
    """Who is in the next round: opted in, not paused, not skipping it, still active and (in
    a community) still a member."""
    opt_ins = PairingOptIn.objects.filter(
        programme=programme, paused=False, skip_next=False, user__is_active=True
    )
    if programme.community_id:
        opt_ins = opt_ins.filter(
            user__memberships__community_id=programme.community_id,
            user__memberships__state=Membership.State.ACTIVE,
        )
    return opt_ins.select_related("user").order_by("id")
