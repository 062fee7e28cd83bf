"""Reads of meelopen: offers with their upcoming days and free places, and my bookings."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from communities.models import User
from events.models import Rsvp, Session
from events.sessions.selectors import going_count_subquery, sessions_visible_to
from learning.shadowing.models import ShadowingOffer, ShadowingSlot


def _slots(user: User, *, upcoming: bool) -> QuerySet[ShadowingSlot]:
    slots = ShadowingSlot.objects.filter(
        session__in=sessions_visible_to(user), session__state=Session.State.SCHEDULED
    )
    if upcoming:
        slots = slots.filter(session__end__gte=timezone.now())
    return (
        slots.select_related("session")
        .annotate(
            going=going_count_subquery("session_id"),
            booked=Exists(
                Rsvp.objects.filter(
                    session=OuterRef("session_id"), user=user, status=Rsvp.Status.GOING
                )
            ),
            waitlisted=Exists(
                Rsvp.objects.filter(
                    session=OuterRef("session_id"), user=user, status=Rsvp.Status.WAITLISTED
                )
            ),
        )
        .order_by("session__start", "id")
    )


def offers_for(user: User) -> QuerySet[ShadowingOffer]:
    """Active offers, each with its upcoming days (free places and my booking on each)."""
    return (
        ShadowingOffer.objects.filter(active=True)
        .select_related("host")
        .prefetch_related(
            Prefetch("slots", queryset=_slots(user, upcoming=True), to_attr="upcoming")
        )
        .order_by("team", "title", "id")
    )


def offer_for(*, user: User, offer_id: int) -> ShadowingOffer | None:
    return offers_for(user).filter(pk=offer_id).first()


def slot_for(*, user: User, slot_id: int) -> ShadowingSlot | None:
    return _slots(user, upcoming=False).select_related("offer__host").filter(pk=slot_id).first()


def bookings_of(user: User) -> QuerySet[Rsvp]:
    """The person's shadowing days: booked or on the waiting list, upcoming and past."""
    return (
        Rsvp.objects.filter(
            user=user,
            session__shadowing__isnull=False,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
        )
        .select_related("session__shadowing__offer")
        .order_by("session__start", "id")
    )
