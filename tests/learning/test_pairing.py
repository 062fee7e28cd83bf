"""Pairing rounds in the database: opt-in, skip and pause with one click, a round of 50 people
over five rounds without a repeated pair, and the introduction mail with a 30-minute slot as a
calendar invitation."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from communities.models import User
from learning.pairing.matching import history_of, repeats
from learning.pairing.models import Pair, PairingOptIn, PairingRound
from learning.pairing.services import (
    pairing_join,
    pairing_programme_create,
    pairing_round_run,
    pairing_rounds_due,
    pairing_set,
)
from tests.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def programme(team, time_machine):
    time_machine.move_to(NOW, tick=False)
    return pairing_programme_create(
        actor=team.cora,
        community=team.community,
        name="Koffie in Noord",
        cadence_weeks=2,
        first_round_on=date(2027, 3, 1),
    )


def test_a_round_introduces_each_pair_with_a_calendar_invitation(team, programme):
    for person in (team.nina, team.bob):
        pairing_join(programme_id=programme.pk, user=person)
    round_ = pairing_round_run(programme_id=programme.pk)

    pair = Pair.objects.get(round=round_)
    assert {pair.first, pair.second, pair.third} == {team.nina, team.bob, None}
    assert pair.slot_start == datetime(2027, 3, 3, 9, 0, tzinfo=UTC)  # Wednesday 10:00 Amsterdam
    mails = OutboxMessage.objects.filter(kind="pairing_introduction").order_by("to_email")
    assert [(m.to_email, m.calendar_method) for m in mails] == [
        ("bob@example.org", "REQUEST"),
        ("nina@example.org", "REQUEST"),
    ]
    nina = mails.get(to_email="nina@example.org")
    assert nina.subject == "Koffie met Bob Buddy"
    assert "Bob Buddy (Noord), bob@example.org" in nina.body_text
    event = Calendar.from_ical(nina.calendar).walk("VEVENT")[0]
    assert str(event["UID"]) == f"pairing-{pair.pk}@kennisplein"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    assert event.decoded("DTSTART") == datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Koffie met Bob Buddy"
    assert str(event["ATTENDEE"]) == "mailto:nina@example.org"
    programme.refresh_from_db()
    assert programme.next_round_on == date(2027, 3, 15)


def test_fifty_people_in_five_rounds_never_meet_twice(team, programme, time_machine):
    people = User.objects.bulk_create(
        User(email=f"p{n}@example.org", display_name=f"P{n}", team=f"T{n % 4}") for n in range(50)
    )
    for person in people:
        MembershipFactory(user=person, community=team.community)
        PairingOptIn.objects.create(programme=programme, user=person)
    earlier = []
    for number in range(5):
        time_machine.move_to(NOW + timedelta(weeks=2 * number), tick=False)
        assert pairing_rounds_due() == 1
        assert pairing_rounds_due() == 0  # the next round is two weeks on
        round_ = PairingRound.objects.get(programme=programme, number=number + 1)
        groups = [tuple(p.member_ids) for p in round_.pairs.all()]
        assert sorted(pk for g in groups for pk in g) == sorted(p.pk for p in people)
        assert repeats(groups, history_of(earlier)) == 0
        earlier += groups
    assert OutboxMessage.objects.filter(kind="pairing_introduction").count() == 250


def test_skip_leaves_out_one_round_and_pause_every_round(team, programme, time_machine):
    for person in (team.nina, team.bob, team.sara, team.cora):
        pairing_join(programme_id=programme.pk, user=person)
    pairing_set(programme_id=programme.pk, user=team.nina, skip_next=True)
    pairing_set(programme_id=programme.pk, user=team.bob, paused=True)

    first = pairing_round_run(programme_id=programme.pk)
    assert {pk for p in first.pairs.all() for pk in p.member_ids} == {team.sara.pk, team.cora.pk}
    second = pairing_round_run(programme_id=programme.pk)
    members = {pk for p in second.pairs.all() for pk in p.member_ids}
    assert members == {team.sara.pk, team.cora.pk, team.nina.pk}  # a trio: Bob is paused
    assert second.pairs.count() == 1


def test_joining_twice_is_one_opt_in_and_outsiders_cannot_join(team, programme):
    pairing_join(programme_id=programme.pk, user=team.nina)
    pairing_join(programme_id=programme.pk, user=team.nina)
    assert PairingOptIn.objects.filter(user=team.nina).count() == 1
    with pytest.raises(DomainError) as raised:
        pairing_join(programme_id=programme.pk, user=team.otto)
    assert raised.value.code == "not_found"


def test_one_programme_per_community_and_only_coordinators_start_one(team, programme):
    with pytest.raises(DomainError) as raised:
        pairing_programme_create(
            actor=team.cora, community=team.community, name="Again", cadence_weeks=4,
            first_round_on=date(2027, 3, 8),
        )  # fmt: skip
    assert raised.value.code == "duplicate"
    with pytest.raises(DomainError) as raised:
        pairing_programme_create(
            actor=team.nina, community=None, name="Org", cadence_weeks=4,
            first_round_on=date(2027, 3, 8),
        )  # fmt: skip
    assert raised.value.code == "forbidden"
    with pytest.raises(DomainError) as raised:
        pairing_programme_create(
            actor=StaffFactory(), community=None, name="Org", cadence_weeks=3,
            first_round_on=date(2027, 3, 8),
        )  # fmt: skip
    assert raised.value.code == "cadence"


def test_a_person_who_left_meanwhile_gets_no_introduction(team, programme, mailoutbox):
    for person in (team.nina, team.bob):
        pairing_join(programme_id=programme.pk, user=person)
    pairing_round_run(programme_id=programme.pk)
    PairingOptIn.objects.filter(user=team.bob).delete()
    for token in outbox_claim_due():
        outbox_deliver_batch(lease_token=token)
    assert [m.to for m in mailoutbox] == [["nina@example.org"]]
    assert OutboxMessage.objects.get(to_email="bob@example.org").state == "skipped"


def test_skip_and_pause_are_one_click_each(client, team, programme):
    client.force_login(team.nina)
    assert client.post(f"/pairing/{programme.pk}/join/").status_code == 302
    client.post(f"/pairing/{programme.pk}/skip/", {"skip": "1"})
    client.post(f"/pairing/{programme.pk}/pause/", {"pause": "1"})
    opt_in = PairingOptIn.objects.get(user=team.nina)
    assert (opt_in.skip_next, opt_in.paused) == (True, True)
    page = client.get("/pairing/").text
    assert "Toch meedoen in de volgende ronde" in page and "Hervatten" in page
    client.post(f"/pairing/{programme.pk}/pause/", {"pause": "0"})
    opt_in.refresh_from_db()
    assert opt_in.paused is False
    client.post(f"/pairing/{programme.pk}/leave/")
    assert not PairingOptIn.objects.filter(user=team.nina).exists()


def test_only_the_coordinator_pairs_now(client, team, programme):
    client.force_login(team.nina)
    assert client.post(f"/pairing/{programme.pk}/run/").status_code == 404
    client.force_login(team.otto)
    assert client.post(f"/pairing/{programme.pk}/join/").status_code == 404
    client.force_login(team.cora)
    assert client.post(f"/pairing/{programme.pk}/run/").status_code == 302
    assert PairingRound.objects.count() == 0  # nobody took part yet


def test_pairing_page_queries_do_not_grow(client, team, programme):
    def queries():
        client.force_login(team.nina)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/pairing/").status_code == 200
        return len(captured)

    pairing_join(programme_id=programme.pk, user=team.nina)
    pairing_join(programme_id=programme.pk, user=team.bob)
    pairing_round_run(programme_id=programme.pk)
    one = queries()
    for n in range(4):
        other = UserFactory()
        guild = MembershipFactory(user=team.nina).community
        MembershipFactory(user=other, community=guild, role="coordinator")
        prog = pairing_programme_create(
            actor=other, community=guild, name=f"P{n}", cadence_weeks=4,
            first_round_on=date(2027, 3, 1),
        )  # fmt: skip
        pairing_join(programme_id=prog.pk, user=team.nina)
        pairing_join(programme_id=prog.pk, user=other)
        pairing_round_run(programme_id=prog.pk)
    assert queries() == one
