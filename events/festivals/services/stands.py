"""Writes of a leermarkt: stands, the times they are staffed, and their material.

A staffed time is a festival ``Session`` (``Session.stand``) hosted by the stand's hosts at the
stand's place, so picking it is a festival pick (``festival_pick``: an RSVP with the calendar
invitation and the personal feed) and nothing new is needed for agendas and feeds.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.extensions import hidden_links
from events.festivals.permissions import FestivalNotFound, is_organiser, require_organiser
from events.festivals.services.programme import _festival_bounds
from events.models import Festival, Session, Stand, StandMaterial, Takeaway
from events.takeaways.selectors.reading import takeaways_visible_to


def _stand(stand_id: int) -> Stand:
    stand = Stand.objects.select_related("festival").filter(pk=stand_id).first()
    if stand is None:
        raise FestivalNotFound(_("This stand does not exist."), code="not_found")
    return stand


def may_keep_stand(user: User, stand: Stand) -> bool:
    """The stand's hosts and the festival's organisers add material."""
    return stand.hosts.filter(pk=user.pk).exists() or is_organiser(user, stand.festival)


@transaction.atomic
def stand_create(
    *, festival: Festival, organiser: User, title: str, place: str, description: str = "",
    hosts: list[User] = (),
) -> Stand:  # fmt: skip
    """A new stand at a leermarkt. Organisers only. Transaction: one insert plus its hosts.
    Not idempotent: a second stand of the same title is refused (a unique constraint)."""
    require_organiser(organiser, festival)
    if not festival.is_leermarkt:
        raise DomainError(_("Stands are for a learning market."), code="not_leermarkt")
    title, place = title.strip(), place.strip()
    if not title or not place:
        raise DomainError(_("A stand needs a title and a place."), code="incomplete")
    if festival.stands.filter(title=title).exists():
        raise DomainError(_("There is a stand with this title already."), code="duplicate")
    stand = Stand.objects.create(
        festival=festival, title=title, place=place, description=description
    )
    stand.hosts.set(hosts)
    return stand


@transaction.atomic
def stand_time_add(*, stand_id: int, organiser: User, start: datetime, end: datetime) -> Session:
    """A time the stand is staffed: a festival session at the stand's place with its hosts.
    Organisers only. Transaction: one. Not idempotent: each call adds a time."""
    stand = _stand(stand_id)
    require_organiser(organiser, stand.festival)
    first, last = _festival_bounds(stand.festival)
    if not (first <= start < end <= last):
        raise DomainError(
            _("A staffed time lies within the festival's days and ends after it starts."),
            code="outside",
        )
    session = Session.objects.create(
        festival=stand.festival,
        stand=stand,
        format=Session.Format.OTHER,
        title=stand.title,
        description=stand.description,
        start=start,
        end=end,
        timezone=stand.festival.timezone,
        location=stand.place,
        created_by=organiser,
    )
    session.hosts.set(stand.hosts.all())
    return session


def stand_material_add(
    *, stand_id: int, actor: User, category: str, title: str, url: str = "",
    takeaway_id: int | None = None,
) -> StandMaterial:  # fmt: skip
    """Material for the stand's visitors, sorted TOOLS / INSPIRATIE / THEORIE: a link (one into
    the app, such as a knowledge article, only when the actor may follow it), or a takeaway the
    actor may see (each shown afterwards to visitors who may see it too). Hosts and
    organisers. Transaction: one insert. Not idempotent."""
    stand = _stand(stand_id)
    if not may_keep_stand(actor, stand):
        raise FestivalNotFound(_("This stand does not exist."), code="not_found")
    if category not in StandMaterial.Category.values:
        raise DomainError(_("Choose tools, inspiration or theory."), code="category")
    title = title.strip()
    if not title:
        raise DomainError(_("Give the material a title."), code="title")
    takeaway: Takeaway | None = None
    if takeaway_id is not None:
        takeaway = takeaways_visible_to(actor).filter(pk=takeaway_id).first()
        if takeaway is None:
            raise DomainError(_("This takeaway does not exist."), code="takeaway")
    if bool(url) == bool(takeaway):
        raise DomainError(_("Give a link or a takeaway."), code="link_or_takeaway")
    if url and hidden_links(actor, [url]):
        # A link to an article the actor may not read (or that does not exist).
        raise DomainError(_("This link points at nothing you may see."), code="link")
    return StandMaterial.objects.create(
        stand=stand, category=category, title=title, url=url, takeaway=takeaway, added_by=actor
    )
