"""Festival objects for tests/test_permission_matrix.py's ``world``.

- ``fe_slug``: a published organisation-wide festival organised by the matrix's coordinator,
  with a placed session (``fe_session``), a free slot and the member's proposal (``fe_proposal``).
- ``fe_restricted``: a published festival only for members of the private community.
- ``fe_token``: the member's feed token (feeds are fetched without cookies).
- ``lm_slug``: a published leermarkt organised by the coordinator, with a stand (``lm_stand``)
  hosted by someone else and staffed once (``lm_time``).
"""

from events.calendar.services.subscriptions import feed_token_reset
from events.festivals.services.programme import programme_publish, proposal_place
from events.festivals.services.stands import stand_create, stand_time_add
from events.models import Proposal
from tests.events.festivals.festival_helpers import (
    at,
    make_festival,
    make_proposal,
    make_room,
    make_slot,
)
from tests.factories import SpeakerProfileFactory, StaffFactory, UserFactory

PHOTO = b"\x89PNG\r\n\x1a\n"  # served as stored; the matrix checks who may fetch it


def festival_world(*, member, coordinator, private_community) -> dict:
    festival = make_festival(organiser=coordinator, slug="kf-matrix")
    room = make_room(festival, "Zaal 1", 40)
    placed_slot = make_slot(festival, room, "10:00", "10:30")
    free_slot = make_slot(festival, room, "11:00", "11:30")
    speaker = UserFactory(email="fe-speaker@example.org")
    SpeakerProfileFactory(user=speaker, bio="Spreker.", photo=PHOTO, photo_content_type="image/png")
    placed = make_proposal(festival, speaker, title="Op het programma")
    proposal_place(proposal_id=placed.pk, slot_id=placed_slot.pk, organiser=coordinator)
    programme_publish(festival=festival, organiser=coordinator)
    accepted = make_proposal(festival, UserFactory(email="fe-other@example.org"), title="Nog niet")
    mine = make_proposal(festival, member, title="Mijn voorstel", state="submitted")

    staff = StaffFactory(email="fe-staff@example.org")
    restricted = make_festival(organiser=None, slug="kf-besloten", audience="communities")
    restricted.communities.add(private_community)
    r_room = make_room(restricted, "Zaal B", 20)
    r_slot = make_slot(restricted, r_room, "10:00", "10:30")
    r_proposal = make_proposal(restricted, speaker, title="Besloten sessie")
    proposal_place(proposal_id=r_proposal.pk, slot_id=r_slot.pk, organiser=staff)
    programme_publish(festival=restricted, organiser=staff)
    # A leermarkt organised by the coordinator: one stand, hosted by someone else, staffed once.
    market = make_festival(
        organiser=coordinator, slug="lm-matrix", is_leermarkt=True, published_version=1
    )
    stand = stand_create(
        festival=market, organiser=coordinator, title="Stand", place="Hal A",
        hosts=[UserFactory(email="lm-host@example.org")],
    )  # fmt: skip
    stand_time = stand_time_add(
        stand_id=stand.pk, organiser=coordinator, start=at(market, "10:00"),
        end=at(market, "11:00"),
    )  # fmt: skip
    return {
        "lm_slug": market.slug,
        "lm_stand": stand.pk,
        "lm_time": stand_time.pk,
        "fe_slug": festival.slug,
        "fe_restricted": restricted.slug,
        "fe_session": Proposal.objects.get(pk=placed.pk).session_id,
        "fe_restricted_session": Proposal.objects.get(pk=r_proposal.pk).session_id,
        "fe_proposal": mine.pk,
        "fe_accepted": accepted.pk,
        "fe_free_slot": free_slot.pk,
        "fe_token": feed_token_reset(user=member),
        "fe_speaker": speaker.pk,
        "fe_room": room.pk,
    }
