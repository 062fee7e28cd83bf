"""The programme grid has a constant number of queries: 10 and 100 sessions."""

from datetime import timedelta

import pytest

from events.festivals.services.programme import programme_publish
from tests.events.festivals.festival_helpers import at, make_festival, make_room
from tests.factories import (
    FestivalSessionFactory,
    ProposalFactory,
    RsvpFactory,
    SlotFactory,
    TrackFactory,
    UserFactory,
)


def build(count: int, organiser, member):
    """``count`` sessions over 4 rooms and 2 days, every one with a co-speaker and a pick."""
    festival = make_festival(organiser=organiser, slug=f"f{count}")
    rooms = [make_room(festival, f"Zaal {n}", 50) for n in range(4)]
    track = TrackFactory(festival=festival, name="Data")
    speakers = [UserFactory() for _n in range(8)]
    for index in range(count):
        room = rooms[index % 4]
        step = index // 4
        day, minute = divmod(step, 20)
        start = at(festival, "08:00", day=day) + timedelta(minutes=30 * minute)
        slot = SlotFactory(
            festival=festival, room=room, start=start, end=start + timedelta(minutes=30)
        )
        session = FestivalSessionFactory(
            festival=festival, title=f"Talk {index}", start=start,
            end=start + timedelta(minutes=25), capacity=50,
        )  # fmt: skip
        proposal = ProposalFactory(
            festival=festival, speaker=speakers[index % 8], title=f"Talk {index}",
            abstract="x", state="accepted", track=track, slot=slot, session=session,
        )  # fmt: skip
        proposal.co_speakers.add(speakers[(index + 1) % 8])
        RsvpFactory(session=session, user=member, status="going")
    SlotFactory(
        festival=festival, room=None, kind="break", label="Lunch",
        start=at(festival, "12:00", day=0) + timedelta(days=10),
        end=at(festival, "12:30", day=0) + timedelta(days=10),
    )  # fmt: skip
    programme_publish(festival=festival, organiser=organiser)
    return festival


@pytest.fixture
def organiser(db):
    return UserFactory()


# Session + user, the festival, organiser check, slots, proposals (annotated), co-speakers,
# tracks, and what the base template reads (organisation settings and the like): 11 at any size.
GRID_QUERIES = 11


@pytest.mark.parametrize("count", [10, 100])
def test_festival_page_queries_are_constant(client, organiser, member, count,
                                            django_assert_num_queries):  # fmt: skip
    festival = build(count, organiser, member)
    client.force_login(member)
    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(f"/festivals/{festival.slug}/")
    assert response.status_code == 200
    assert response.content.decode().count("In mijn agenda") == count  # the member reads Dutch


@pytest.mark.parametrize("count", [10, 100])
def test_programme_builder_queries_are_constant(client, organiser, count,
                                                django_assert_num_queries):  # fmt: skip
    festival = build(count, organiser, UserFactory())
    client.force_login(organiser)
    # The page's grid, the conflicts' placements, unplaced proposals, versions, rooms and the
    # attendance table: 15 at any size.
    with django_assert_num_queries(15):
        response = client.get(f"/festivals/{festival.slug}/programme/")
    assert response.status_code == 200
