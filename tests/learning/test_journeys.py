"""Onboarding journeys: building a template, starting a newcomer with a buddy and a supervisor,
the gentle reminders of steps falling due, completion, and who sees what."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from learning.journeys.models import Journey, JourneyStepProgress
from learning.journeys.services import (
    journey_reminders_plan,
    journey_start,
    journey_step_add,
    journey_step_mark,
    journey_template_create,
)
from tests.factories import MembershipFactory, SessionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
START = date(2027, 3, 1)  # a Monday
THREE = "De nieuwe collega, de buddy en de werkplekbegeleider zijn drie verschillende mensen."


def build(team, *, steps=((0, "meet", "Coffee with your buddy"), (14, "link", "Read the wiki"))):
    template = journey_template_create(
        actor=team.cora, community=team.community, title="Welkom in het wijkteam"
    )
    for day, kind, title in steps:
        journey_step_add(
            template_id=template.pk,
            actor=team.cora,
            day_offset=day,
            kind=kind,
            title=title,
            url="/takeaways/" if kind == "link" else "",
            person_id=team.bob.pk if kind == "meet" else None,
            details="Laptop\nBadge" if kind == "checklist" else "",
        )
    return template


def start(team, template, start_date=START):
    return journey_start(
        template_id=template.pk,
        actor=team.cora,
        newcomer_id=team.nina.pk,
        buddy_id=team.bob.pk,
        supervisor_id=team.sara.pk,
        start_date=start_date,
    )


def test_starting_a_journey_plans_its_steps_and_tells_the_three(team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    template = build(team)
    journey = start(team, template)

    progress = list(journey.progress.order_by("due_date").values_list("step__title", "due_date"))
    assert progress == [
        ("Coffee with your buddy", date(2027, 3, 1)),
        ("Read the wiki", date(2027, 3, 15)),
    ]
    mails = OutboxMessage.objects.order_by("to_email")
    assert [(m.kind, m.to_email) for m in mails] == [
        ("journey_started", "bob@example.org"),
        ("journey_started", "nina@example.org"),
        ("journey_started", "sara@example.org"),
    ]
    nina_mail = mails.get(to_email="nina@example.org")
    assert nina_mail.subject == "Inwerkroute “Welkom in het wijkteam” voor Nina Nieuw"
    assert "Bob Buddy is je buddy en Sara Supervisor je werkplekbegeleider" in nina_mail.body_text
    sara_mail = mails.get(to_email="sara@example.org")
    assert sara_mail.subject == "Onboarding journey “Welkom in het wijkteam” for Nina Nieuw"


@pytest.mark.parametrize(
    ("buddy", "supervisor", "message"),
    [
        ("nina", "sara", THREE),
        ("bob", "bob", THREE),
        ("otto", "sara", "Kies mensen uit deze community."),
    ],
)
def test_a_journey_needs_three_people_of_the_community(team, buddy, supervisor, message):
    template = build(team)
    with pytest.raises(DomainError) as raised:
        journey_start(
            template_id=template.pk,
            actor=team.cora,
            newcomer_id=team.nina.pk,
            buddy_id=getattr(team, buddy).pk,
            supervisor_id=getattr(team, supervisor).pk,
            start_date=START,
        )
    assert raised.value.message == message
    assert (Journey.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_only_coordinators_build_and_start(team):
    with pytest.raises(DomainError):
        journey_template_create(actor=team.nina, community=team.community, title="Mine")
    template = build(team)
    with pytest.raises(DomainError) as raised:
        journey_start(
            template_id=template.pk,
            actor=team.bob,
            newcomer_id=team.nina.pk,
            buddy_id=team.bob.pk,
            supervisor_id=team.sara.pk,
            start_date=START,
        )
    assert raised.value.code == "not_found"


def test_a_link_step_stays_inside_the_app(team):
    template = build(team, steps=())
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(DomainError) as raised:
            journey_step_add(
                template_id=template.pk, actor=team.cora, day_offset=3, kind="link",
                title="Elsewhere", url=url,
            )  # fmt: skip
        assert raised.value.code == "url"
    assert template.steps.count() == 0


def test_a_newcomer_is_on_a_template_once_at_a_time(team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    template = build(team)
    start(team, template)
    with pytest.raises(DomainError) as raised:
        start(team, template)
    assert raised.value.code == "duplicate"


def test_a_step_due_is_reminded_once_at_nine_in_the_newcomers_zone(team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    OutboxMessage.objects.all().delete()

    time_machine.move_to(datetime(2027, 3, 1, 7, 0, tzinfo=UTC), tick=False)  # 08:00 Amsterdam
    assert journey_reminders_plan() == 0
    time_machine.move_to(datetime(2027, 3, 1, 7, 56, tzinfo=UTC), tick=False)  # 08:56
    assert journey_reminders_plan() == 2  # a person to meet: the newcomer and the buddy
    assert journey_reminders_plan() == 0
    rows = OutboxMessage.objects.order_by("to_email")
    assert [(r.kind, r.to_email, r.due_at) for r in rows] == [
        ("journey_step_due", "bob@example.org", datetime(2027, 3, 1, 8, 0, tzinfo=UTC)),
        ("journey_step_due", "nina@example.org", datetime(2027, 3, 1, 8, 0, tzinfo=UTC)),
    ]
    first = JourneyStepProgress.objects.get(journey=journey, step__title="Coffee with your buddy")
    assert (
        rows.get(to_email="nina@example.org").dedupe_key
        == f"journey_step:{first.pk}:{team.nina.pk}"
    )
    assert rows.get(to_email="nina@example.org").subject == "Volgende stap: Coffee with your buddy"


def test_a_reminder_for_a_step_done_meanwhile_is_skipped(team, time_machine, mailoutbox):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    OutboxMessage.objects.all().delete()
    time_machine.move_to(datetime(2027, 3, 1, 7, 56, tzinfo=UTC), tick=False)
    journey_reminders_plan()
    first = journey.progress.get(step__title="Coffee with your buddy")
    journey_step_mark(journey_id=journey.pk, progress_id=first.pk, actor=team.bob, done=True)

    time_machine.move_to(datetime(2027, 3, 1, 8, 1, tzinfo=UTC), tick=False)
    for token in outbox_claim_due():
        outbox_deliver_batch(lease_token=token)
    assert sorted(OutboxMessage.objects.values_list("state", flat=True)) == ["skipped", "skipped"]
    assert mailoutbox == []


def test_old_steps_of_a_journey_started_late_are_not_reminded(team, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 12, tzinfo=UTC), tick=False)
    start(team, build(team), start_date=date(2027, 3, 1))  # day 0 was 19 days ago, day 14 5 ago
    OutboxMessage.objects.all().delete()
    assert journey_reminders_plan() == 0


def test_the_last_step_done_completes_the_journey_and_tells_the_three(team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    OutboxMessage.objects.all().delete()
    first, second = journey.progress.order_by("due_date")
    journey_step_mark(journey_id=journey.pk, progress_id=first.pk, actor=team.nina, done=True)
    journey_step_mark(journey_id=journey.pk, progress_id=first.pk, actor=team.nina, done=True)
    assert OutboxMessage.objects.count() == 0
    journey_step_mark(journey_id=journey.pk, progress_id=second.pk, actor=team.sara, done=True)

    journey.refresh_from_db()
    assert journey.state == "completed"
    assert journey.completed_at == datetime(2027, 2, 20, 12, tzinfo=UTC)
    assert sorted(OutboxMessage.objects.values_list("kind", "to_email")) == [
        ("journey_completed", "bob@example.org"),
        ("journey_completed", "nina@example.org"),
        ("journey_completed", "sara@example.org"),
    ]
    with pytest.raises(DomainError) as raised:
        journey_step_mark(journey_id=journey.pk, progress_id=first.pk, actor=team.nina, done=False)
    assert raised.value.code == "closed"


def test_only_the_three_may_tick_steps(team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    first = journey.progress.first()
    for outsider in (team.cora, team.otto, StaffFactory()):
        with pytest.raises(DomainError) as raised:
            journey_step_mark(
                journey_id=journey.pk, progress_id=first.pk, actor=outsider, done=True
            )
        assert raised.value.code == "not_found"
    assert journey.progress.filter(done_at__isnull=False).count() == 0


def test_journey_page_is_for_the_three_only(client, team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    for person in (team.nina, team.bob, team.sara):
        client.force_login(person)
        response = client.get(f"/journeys/{journey.pk}/")
        assert response.status_code == 200
        assert "0 van 2 stappen gedaan" in response.text or "0 of 2 steps done" in response.text
    for person in (team.cora, team.otto, StaffFactory()):
        client.force_login(person)
        assert client.get(f"/journeys/{journey.pk}/").status_code == 404


def test_ticking_a_step_on_the_page(client, team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    journey = start(team, build(team))
    first = journey.progress.order_by("due_date").first()
    client.force_login(team.nina)
    response = client.post(f"/journeys/{journey.pk}/steps/{first.pk}/", {"done": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.done_by, first.done_at) == (team.nina, datetime(2027, 2, 20, 12, tzinfo=UTC))
    client.post(f"/journeys/{journey.pk}/steps/{first.pk}/", {"done": "0"})
    first.refresh_from_db()
    assert (first.done_by, first.done_at) == (None, None)


def test_coordinators_see_aggregates_from_five_journeys_only(client, team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    template = build(team)
    newcomers = [UserFactory(display_name=f"New {n}") for n in range(5)]
    for person in newcomers:
        MembershipFactory(user=person, community=team.community)
    client.force_login(team.cora)
    for count, person in enumerate(newcomers, start=1):
        journey_start(
            template_id=template.pk, actor=team.cora, newcomer_id=person.pk,
            buddy_id=team.bob.pk, supervisor_id=team.sara.pk, start_date=START,
        )  # fmt: skip
        page = client.get(f"/journeys/templates/{template.pk}/").text
        assert ("Steps done on average" in page) == (count == 5)
        assert "New 0" not in page.split("How the journeys go")[1].split("Steps")[0]
    done = Journey.objects.filter(newcomer=newcomers[0]).get().progress.first()
    done.done_at = datetime(2027, 2, 20, 12, tzinfo=UTC)
    done.save()
    page = client.get(f"/journeys/templates/{template.pk}/").text
    assert "<dd>10%</dd>" in page  # 1 of 10 steps


def test_building_on_the_page(client, team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    session = SessionFactory(community=team.community, title="Brown bag: Python")
    client.force_login(team.cora)
    response = client.post(
        "/journeys/templates/new/",
        {"title": "Python onboarding", "community": str(team.community.pk)},
    )
    assert response.status_code == 302
    template_url = response["Location"]
    client.post(
        template_url + "steps/",
        {
            "day_offset": "7",
            "kind": "session",
            "title": "Join the brown bag",
            "session": session.pk,
        },
    )
    response = client.post(
        template_url + "start/",
        {"newcomer": team.nina.pk, "buddy": team.bob.pk, "supervisor": team.sara.pk,
         "start_date": "2027-03-01"},
    )  # fmt: skip
    assert response.status_code == 302
    journey = Journey.objects.get()
    assert list(journey.progress.values_list("step__session__title", "due_date")) == [
        ("Brown bag: Python", date(2027, 3, 8))
    ]


def test_journey_list_queries_do_not_grow(client, team, time_machine):
    time_machine.move_to(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False)
    templates = [build(team) for _ in range(5)]
    start(team, templates[0])

    def queries():
        client.force_login(team.bob)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/journeys/").status_code == 200
        return len(captured)

    one = queries()
    for template in templates[1:]:
        start(team, template, start_date=START + timedelta(days=1))
    assert Journey.objects.filter(buddy=team.bob).count() == 5
    assert queries() == one
