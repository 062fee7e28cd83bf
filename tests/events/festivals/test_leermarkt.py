"""A leermarkt: stands with staffed times in the programme grid, picks in the personal feed,
and the material a visitor collects afterwards, by TOOLS / INSPIRATIE / THEORIE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.errors import DomainError
from events.festivals.services.day import festival_pick
from events.festivals.services.stands import stand_create, stand_material_add, stand_time_add
from events.festivals.stands import my_leermarkt_material
from events.models import Rsvp
from tests.events.festivals.festival_helpers import at, make_festival
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    organiser = UserFactory(email="org@example.org")
    host = UserFactory(email="host@example.org", display_name="Hanna Host")
    festival = make_festival(
        organiser=organiser, slug="leermarkt", is_leermarkt=True, published_version=1
    )
    stand = stand_create(
        festival=festival, organiser=organiser, title="Stappenplan kennisdeling", place="Hal A",
        hosts=[host],
    )  # fmt: skip
    morning = stand_time_add(
        stand_id=stand.pk, organiser=organiser, start=at(festival, "10:00"),
        end=at(festival, "11:00"),
    )  # fmt: skip
    return festival, organiser, host, stand, morning


def test_a_stand_is_staffed_picked_and_its_material_collected(market, client):
    festival, _organiser, host, stand, morning = market
    stand_material_add(
        stand_id=stand.pk, actor=host, category="tools", title="VEGO",
        url="https://example.org/vego",
    )  # fmt: skip
    stand_material_add(
        stand_id=stand.pk, actor=host, category="theory", title="Werken aan cultuur",
        url="https://example.org/cultuur",
    )  # fmt: skip
    visitor = UserFactory(email="visitor@example.org")
    assert my_leermarkt_material(festival, visitor) == []
    rsvp = festival_pick(session_id=morning.pk, user=visitor)
    assert rsvp.status == Rsvp.Status.GOING
    collected = my_leermarkt_material(festival, visitor)
    assert [(c.stand.title, [(label, [m.title for m in ms]) for label, ms in c.by_category])
            for c in collected] == [
        ("Stappenplan kennisdeling", [
            ("Tools: meteen toepasbaar", ["VEGO"]),
            ("Theorie of model: om verder te lezen", ["Werken aan cultuur"]),
        ]),
    ]  # fmt: skip
    # The pick is an RSVP: it is in the visitor's personal calendar feed.
    client.force_login(visitor)
    page = client.get("/festivals/leermarkt/").content.decode()
    assert 'id="stand-grid"' in page
    assert "Hal A" in page
    assert Rsvp.objects.get(session=morning, user=visitor).status == "going"


def test_only_hosts_and_organisers_add_material_and_a_takeaway_must_be_visible(market):
    festival, organiser, host, stand, _morning = market
    with pytest.raises(DomainError) as raised:
        stand_material_add(
            stand_id=stand.pk, actor=UserFactory(), category="tools", title="x",
            url="https://example.org",
        )  # fmt: skip
    assert raised.value.code == "not_found"
    with pytest.raises(DomainError) as raised:
        stand_material_add(
            stand_id=stand.pk, actor=host, category="tools", title="x", url="https://e.org",
            takeaway_id=TakeawayFactory(visibility="private").pk,
        )  # fmt: skip
    assert raised.value.code == "takeaway"
    with pytest.raises(DomainError) as raised:
        stand_material_add(stand_id=stand.pk, actor=host, category="gossip", title="x", url="u")
    assert raised.value.code == "category"
    with pytest.raises(DomainError) as raised:
        stand_time_add(
            stand_id=stand.pk, organiser=organiser, start=at(festival, "10:00", day=5),
            end=at(festival, "11:00", day=5),
        )  # fmt: skip
    assert raised.value.code == "outside"


def test_a_host_adds_material_on_the_stand_page_and_others_get_404_on_post(market, client):
    _festival, _organiser, host, stand, _morning = market
    url = f"/festivals/leermarkt/stands/{stand.pk}/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200
    assert client.post(url, {"category": "tools", "title": "x"}).status_code == 404
    client.force_login(host)
    response = client.post(
        url, {"category": "inspiration", "title": "Bouwen op wat werkt", "url": "https://e.org/b"}
    )
    assert response.status_code == 302
    assert stand.materials.get().title == "Bouwen op wat werkt"
    assert client.post(url, {"category": "tools", "title": "nothing"}).status_code == 400


def test_the_material_page_waits_for_the_market_and_its_queries_do_not_grow(market, client,
                                                                          time_machine):  # fmt: skip
    festival, organiser, host, stand, morning = market
    visitor = UserFactory()
    festival_pick(session_id=morning.pk, user=visitor)
    client.force_login(visitor)
    page = client.get("/festivals/leermarkt/material/").content.decode()
    assert "Stappenplan kennisdeling" not in page  # not open yet
    time_machine.move_to(at(festival, "12:00"), tick=False)
    client.force_login(visitor)  # the session of a month ago has expired
    stand_material_add(stand_id=stand.pk, actor=host, category="tools", title="T0",
                       url="https://e.org/0")  # fmt: skip
    stand_material_add(stand_id=stand.pk, actor=host, category="inspiration", title="Takeaway",
                       takeaway_id=TakeawayFactory(visibility="organisation").pk)  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/festivals/leermarkt/material/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        other = stand_create(festival=festival, organiser=organiser, title=f"Stand {n}",
                             place=f"Hal {n}", hosts=[host])  # fmt: skip
        time = stand_time_add(stand_id=other.pk, organiser=organiser,
                              start=at(festival, "13:00"), end=at(festival, "14:00"))  # fmt: skip
        festival_pick(session_id=time.pk, user=visitor)
        stand_material_add(stand_id=other.pk, actor=host, category="theory", title=f"M{n}",
                           url="https://e.org/m")  # fmt: skip
        stand_material_add(stand_id=other.pk, actor=host, category="tools",
                           title=f"Takeaway {n}",
                           takeaway_id=TakeawayFactory(visibility="organisation").pk)  # fmt: skip
    assert queries() == one
    page = client.get("/festivals/leermarkt/material/").content.decode()
    assert "Stappenplan kennisdeling" in page and "T0" in page and "M3" in page


def test_a_private_communitys_takeaway_on_a_stand_reaches_only_its_members(market, time_machine):
    """The canary: a takeaway of a private community, attached to a stand by a host who is a
    member, is never collected by a visitor outside it; a member who picks the stand gets it
    (so the check can fail)."""
    festival, _organiser, host, stand, morning = market
    secret = "kluis-reorganisatie-canary"
    private = CommunityFactory(slug="security-leermarkt", visibility="private")
    insider = UserFactory(email="insider@example.org")
    for person in (host, insider):
        MembershipFactory(user=person, community=private)
    session = SessionFactory(community=private, title="Besloten")
    takeaway = TakeawayFactory(session=session, title=secret, visibility="community")
    stand_material_add(
        stand_id=stand.pk, actor=host, category="theory", title=secret, takeaway_id=takeaway.pk
    )
    outsider = UserFactory(email="outsider@example.org")
    for visitor in (outsider, insider):
        festival_pick(session_id=morning.pk, user=visitor)
    time_machine.move_to(at(festival, "12:00"), tick=False)

    def collected(person):
        return [m.title for c in my_leermarkt_material(festival, person) for _l, ms in
                c.by_category for m in ms]  # fmt: skip

    assert collected(outsider) == []
    assert collected(insider) == [secret]


def test_an_organiser_adds_a_stand_with_hosts_and_a_staffed_time(market, client):
    festival, organiser, host, _stand, _morning = market
    client.force_login(organiser)
    response = client.post(
        "/festivals/leermarkt/stands/new/",
        {"title": "Bouwen op wat werkt", "place": "Hal B", "hosts": "HOST@example.org"},
    )
    stand = festival.stands.get(title="Bouwen op wat werkt")
    assert response["Location"] == f"/festivals/leermarkt/stands/{stand.pk}/"
    assert list(stand.hosts.all()) == [host]
    day = festival.starts_on.isoformat()
    client.post(
        f"/festivals/leermarkt/stands/{stand.pk}/times/",
        {"day": day, "start": "14:00", "end": "15:00"},
    )
    session = stand.times.get()
    assert (session.start, session.end, session.location, session.festival) == (
        at(festival, "14:00"), at(festival, "15:00"), "Hal B", festival,
    )  # fmt: skip
    assert list(session.hosts.all()) == [host]
    unknown = client.post(
        "/festivals/leermarkt/stands/new/",
        {"title": "Nog een", "place": "Hal C", "hosts": "nobody@example.org"},
    )
    assert unknown.status_code == 400
    assert not festival.stands.filter(title="Nog een").exists()
    client.force_login(host)
    assert client.get("/festivals/leermarkt/stands/new/").status_code == 404
    assert (
        client.post(
            f"/festivals/leermarkt/stands/{stand.pk}/times/",
            {"day": day, "start": "16:00", "end": "17:00"},
        ).status_code
        == 404
    )
    assert stand.times.count() == 1


def test_the_market_page_queries_do_not_grow_with_stands(market, client):
    festival, organiser, host, _stand, morning = market
    visitor = UserFactory()
    festival_pick(session_id=morning.pk, user=visitor)
    client.force_login(visitor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/festivals/leermarkt/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        other = stand_create(festival=festival, organiser=organiser, title=f"Stand {n}",
                             place=f"Hal {n % 2}", hosts=[host, UserFactory()])  # fmt: skip
        for begin, until in (("13:00", "14:00"), ("15:00", "16:00")):
            time = stand_time_add(
                stand_id=other.pk, organiser=organiser, start=at(festival, begin),
                end=at(festival, until),
            )  # fmt: skip
        festival_pick(session_id=time.pk, user=visitor)
    assert queries() == one
