"""Meelopen: offering days, booking with capacity and a waiting list (the session's own), the
promotion when someone cancels, and the reflection afterwards becoming a takeaway."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.models import Rsvp, Takeaway
from learning.shadowing.selectors import offer_for, slot_for
from learning.shadowing.services import (
    shadowing_book,
    shadowing_cancel,
    shadowing_offer_create,
    shadowing_reflect,
    shadowing_slot_add,
)
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DAY = datetime(2027, 3, 10, 9, 0, tzinfo=AMS)


@pytest.fixture
def slot(team, time_machine):
    time_machine.move_to(NOW, tick=False)
    offer = shadowing_offer_create(
        host=team.sara,
        team="Wijkteam Noord",
        title="Kom kijken hoe Wijkteam Noord werkt",
        description="Huisbezoeken en het teamoverleg.",
        location="Buurthuis De Linde",
    )
    return shadowing_slot_add(
        offer_id=offer.pk, actor=team.sara, start=DAY, end=DAY + timedelta(hours=7),
        capacity=2, zone="Europe/Amsterdam",
    )  # fmt: skip


def test_a_day_is_a_session_hosted_by_the_host(team, slot):
    session = slot.session
    assert (session.community, session.capacity, session.format) == (None, 2, "other")
    assert session.title == "Shadowing: Kom kijken hoe Wijkteam Noord werkt"  # in Sara's language
    assert list(session.hosts.all()) == [team.sara]
    assert session.location == "Buurthuis De Linde"


def test_booking_a_full_day_waits_in_line_and_moves_up_when_someone_cancels(team, slot):
    first = shadowing_book(slot_id=slot.pk, user=team.nina)
    second = shadowing_book(slot_id=slot.pk, user=team.bob)
    third = shadowing_book(slot_id=slot.pk, user=team.otto)
    assert [(r.status, r.position) for r in (first, second, third)] == [
        ("going", None), ("going", None), ("waitlisted", 1),
    ]  # fmt: skip
    assert shadowing_book(slot_id=slot.pk, user=team.otto).position == 1  # keeps the place

    shadowing_cancel(slot_id=slot.pk, user=team.nina)
    otto = Rsvp.objects.get(session=slot.session, user=team.otto)
    assert (otto.status, otto.position) == ("going", None)
    invitations = OutboxMessage.objects.filter(calendar_method="REQUEST").order_by("id")
    assert [m.to_email for m in invitations] == [
        "nina@example.org", "bob@example.org", "otto@example.org",
    ]  # fmt: skip
    assert OutboxMessage.objects.filter(
        to_email="nina@example.org", calendar_method="CANCEL"
    ).exists()


def test_the_host_does_not_book_their_own_day(team, slot):
    with pytest.raises(DomainError) as raised:
        shadowing_book(slot_id=slot.pk, user=team.sara)
    assert raised.value.code == "own"


def test_only_the_host_adds_days(team, slot):
    with pytest.raises(DomainError) as raised:
        shadowing_slot_add(
            offer_id=slot.offer_id, actor=team.nina, start=DAY, end=DAY + timedelta(hours=2),
            capacity=1, zone="Europe/Amsterdam",
        )  # fmt: skip
    assert raised.value.code == "not_found"


@pytest.mark.parametrize("capacity", [0, 21])
def test_places_are_between_one_and_twenty(team, slot, capacity):
    with pytest.raises(DomainError):
        shadowing_slot_add(
            offer_id=slot.offer_id, actor=team.sara, start=DAY, end=DAY + timedelta(hours=2),
            capacity=capacity, zone="Europe/Amsterdam",
        )  # fmt: skip


def test_the_reflection_afterwards_becomes_a_takeaway(team, slot, time_machine):
    shadowing_book(slot_id=slot.pk, user=team.nina)
    with pytest.raises(DomainError):  # before the day there is nothing to reflect on
        shadowing_reflect(
            slot_id=slot.pk,
            user=team.nina,
            seen="x",
            surprised="",
            take_back="",
            visibility="organisation",
        )
    time_machine.move_to(DAY + timedelta(hours=8), tick=False)
    takeaway = shadowing_reflect(
        slot_id=slot.pk,
        user=team.nina,
        seen="Hoe een keukentafelgesprek gaat.",
        surprised="Hoeveel er in één bezoek zit.",
        take_back="Eerst vragen, dan oplossen.",
        visibility="organisation",
    )
    assert takeaway.session == slot.session
    assert takeaway.title == "Meelopen: Kom kijken hoe Wijkteam Noord werkt"
    assert takeaway.body == (
        "**Wat ik zag**: Hoe een keukentafelgesprek gaat.\n\n"
        "**Wat me verraste**: Hoeveel er in één bezoek zit.\n\n"
        "**Wat ik meeneem naar mijn team**: Eerst vragen, dan oplossen."
    )
    assert [t.name for t in takeaway.tags.all()] == ["meelopen"]
    assert (takeaway.author, takeaway.visibility) == (team.nina, "organisation")


def test_booking_and_reflecting_on_the_pages(client, team, slot, time_machine):
    client.force_login(team.nina)
    page = client.get(f"/shadowing/{slot.offer_id}/").text
    assert "0 van 2 bezet" in page and "Een plek boeken" in page
    response = client.post(f"/shadowing/days/{slot.pk}/book/")
    assert response.status_code == 302
    assert Rsvp.objects.get(user=team.nina).status == "going"
    time_machine.move_to(DAY + timedelta(hours=8), tick=False)
    assert "Schrijf je reflectie" in client.get("/shadowing/").text
    response = client.post(
        f"/shadowing/days/{slot.pk}/reflect/",
        {"seen": "Teamoverleg", "surprised": "", "take_back": "", "visibility": "community"},
    )
    assert response.status_code == 302
    assert Takeaway.objects.get().body == "**Wat ik zag**: Teamoverleg"


def test_an_empty_reflection_is_refused(client, team, slot, time_machine):
    shadowing_book(slot_id=slot.pk, user=team.nina)
    time_machine.move_to(DAY + timedelta(hours=8), tick=False)
    client.force_login(team.nina)
    response = client.post(
        f"/shadowing/days/{slot.pk}/reflect/",
        {"seen": " ", "surprised": "", "take_back": "", "visibility": "community"},
    )
    assert response.status_code == 400
    assert Takeaway.objects.count() == 0


def test_shadowing_page_queries_do_not_grow(client, team, slot):
    def queries():
        client.force_login(team.nina)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/shadowing/").status_code == 200
        return len(captured)

    shadowing_book(slot_id=slot.pk, user=team.nina)
    one = queries()
    for n in range(4):
        host = UserFactory()
        offer = shadowing_offer_create(
            host=host, team=f"Team {n}", title=f"Offer {n}", description="d", location="l"
        )
        for day in range(3):
            start = DAY + timedelta(days=day + 1)
            made = shadowing_slot_add(
                offer_id=offer.pk, actor=host, start=start, end=start + timedelta(hours=4),
                capacity=3, zone="Europe/Amsterdam",
            )  # fmt: skip
            shadowing_book(slot_id=made.pk, user=team.nina)
    assert queries() == one


def test_free_places_count_the_days_own_bookings_whatever_the_ids(team, slot, time_machine):
    # A second day makes the slot and session ids differ, as they do in any real database:
    # the count must follow the slot's session, not a session that happens to share its id.
    other = shadowing_slot_add(
        offer_id=slot.offer_id, actor=team.sara, start=DAY + timedelta(days=1),
        end=DAY + timedelta(days=1, hours=7), capacity=2, zone="Europe/Amsterdam",
    )  # fmt: skip
    SessionFactory(title="Een andere sessie")
    later = shadowing_slot_add(
        offer_id=slot.offer_id, actor=team.sara, start=DAY + timedelta(days=2),
        end=DAY + timedelta(days=2, hours=7), capacity=2, zone="Europe/Amsterdam",
    )  # fmt: skip
    assert later.pk != later.session_id
    shadowing_book(slot_id=later.pk, user=team.nina)
    shadowing_book(slot_id=later.pk, user=team.bob)
    shadowing_book(slot_id=slot.pk, user=team.otto)

    offer = offer_for(user=team.otto, offer_id=slot.offer_id)
    assert [(day.pk, day.going) for day in offer.upcoming] == [
        (slot.pk, 1), (other.pk, 0), (later.pk, 2),
    ]  # fmt: skip
    assert slot_for(user=team.otto, slot_id=later.pk).going == 2
