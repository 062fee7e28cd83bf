"""seed_demo: a realistic demo organisation, idempotent, only with DEBUG on."""

from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Festival, Rsvp, Series, Session, Takeaway
from knowledge.models import (
    Answer,
    AnswerHelpful,
    DatePoll,
    ExpertiseProfile,
    ExpertiseTopic,
    PollOption,
    PollVote,
    Question,
    Wish,
    WishInterest,
)
from knowledge.rules import may_become_wish
from learning.plans.models import CommunityPlan

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Community.objects.count(),
        Membership.objects.count(),
        Session.objects.count(),
        Rsvp.objects.count(),
        Series.objects.count(),
        Takeaway.objects.count(),
    )


def test_seed_demo_creates_the_demo_organisation_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    # The intervision demo adds two members and three past intervision sessions; the festival
    # twenty sessions and five picks; the takeaways demo 10 past sessions with 24 RSVPs and
    # 36 takeaways (events/demo_takeaways.py); the leermarkt four stands staffed twice and two
    # picks.
    assert counts() == first == (9, 7, 25, 69, 50, 2, 40)
    kinds = set(Community.objects.values_list("kind", flat=True))
    assert kinds == {"community_of_practice", "guild", "intervision_group"}
    assert set(Community.objects.values_list("visibility", flat=True)) == {"public", "private"}
    assert Session.objects.filter(start__lt=Session.objects.order_by("start").last().start).exists()
    assert User.objects.get(email="beheer@kennisplein.test").is_staff is True
    sanne = User.objects.get(email="sanne@kennisplein.test")
    assert sanne.check_password("kennisplein-demo")
    assert sanne.emailaddress_set.get().verified is True
    output = capsys.readouterr().out
    assert "sanne@kennisplein.test / kennisplein-demo" in output


def test_seed_demo_has_past_and_upcoming_sessions(settings):

    settings.DEBUG = True
    call_command("seed_demo")
    now = timezone.now()
    # 2 + three past intervision sessions + the takeaways demo's ten past sessions
    assert Session.objects.filter(end__lt=now).count() == 2 + 3 + 10
    assert Session.objects.filter(start__gt=now).count() == 26 + 20 + 8  # festival, leermarkt


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_seed_demo_has_series_a_waitlist_a_hybrid_and_a_cancelled_session(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    brown_bag = Series.objects.get(uid="demo-series-brownbag-monthly@kennisplein.test")
    assert brown_bag.community.slug == "python-gilde"
    assert brown_bag.rrule == "FREQ=MONTHLY;INTERVAL=1;BYDAY=2WE;COUNT=6"
    starts = [s.start.astimezone(ZoneInfo("Europe/Amsterdam")) for s in brown_bag.occurrences.all()]
    assert len(starts) == 6
    assert {(start.weekday(), (start.day - 1) // 7, start.hour) for start in starts} == {(2, 1, 12)}
    lean = Series.objects.get(uid="demo-series-lean-coffee@kennisplein.test")
    assert (lean.community.slug, lean.format, lean.rrule) == (
        "data-en-ai",
        "meetup",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=FR;COUNT=8",
    )
    assert lean.occurrences.count() == 8

    workshop = Session.objects.get(uid="demo-hypothesis-workshop@kennisplein.test")
    going = workshop.rsvps.filter(status="going")
    waiting = workshop.rsvps.filter(status="waitlisted").order_by("position")
    assert (workshop.capacity, going.count()) == (3, 3)
    assert [(r.user.email, r.position) for r in waiting] == [
        ("emma@kennisplein.test", 1),
        ("fatima@kennisplein.test", 2),
    ]
    hybrid = Session.objects.get(uid="demo-hybrid-datagedreven@kennisplein.test")
    assert hybrid.is_hybrid is True
    assert sorted(hybrid.rsvps.values_list("mode", flat=True)) == ["in_room", "online"]
    cancelled = Session.objects.get(state="cancelled")
    assert cancelled.cancel_reason.startswith("De trainer is ziek")
    kickoff = Session.objects.get(uid="demo-lean-coffee-kickoff@kennisplein.test")
    assert sorted(kickoff.rsvps.values_list("attended", flat=True)) == [False, True, True]
    first_demo = Takeaway.objects.exclude(
        session__uid__startswith="demo-tk-"
    )  # not the takeaways demo's
    assert sorted(first_demo.values_list("visibility", flat=True)) == [
        "community",
        "community",
        "organisation",
        "private",
    ]


def test_seed_demo_has_a_festival_next_month(settings):
    """three tracks, four rooms, twenty placed sessions, three proposals in review."""

    settings.DEBUG = True
    call_command("seed_demo")
    festival = Festival.objects.get(slug="kennisfestival")
    assert (
        festival.tracks.count(),
        festival.rooms.count(),
        festival.proposals.filter(slot__isnull=False).count(),
        festival.proposals.filter(state="submitted").count(),
        festival.sessions.count(),
        festival.published_version,
    ) == (3, 4, 20, 3, 20, 1)


def test_seed_demo_has_questions_answers_wishes_a_poll_and_experts(settings):
    """Wie weet wat: four questions (one accepted answer, one anonymous question a coordinator
    posted, one unanswered for three weeks), three wishes with "I'd come" and "I can tell",
    one date poll with answers, four colleagues who opted in; the same after a second run."""
    settings.DEBUG = True
    call_command("seed_demo")

    def knowledge_counts():
        return (
            Question.objects.count(),
            Answer.objects.count(),
            AnswerHelpful.objects.count(),
            Wish.objects.count(),
            WishInterest.objects.filter(kind="attend").count(),
            WishInterest.objects.filter(kind="volunteer").count(),
            DatePoll.objects.count(),
            PollOption.objects.count(),
            PollVote.objects.count(),
            ExpertiseProfile.objects.filter(listed=True).count(),
        )

    first = knowledge_counts()
    call_command("seed_demo")
    assert knowledge_counts() == first == (4, 4, 1, 3, 7, 2, 1, 3, 6, 4)
    celery = Question.objects.get(title__startswith="Hoe test ik een Celery-taak")
    assert celery.accepted_answer.author.email == "sanne@kennisplein.test"
    assert (celery.answer_count, celery.community.slug) == (2, "python-gilde")
    anonymous = Question.objects.get(anonymous=True)
    assert (anonymous.state, anonymous.posted_by.email) == ("open", "anouk@kennisplein.test")
    old = Question.objects.get(title__startswith="Hoe registreren we")
    assert may_become_wish(
        created_at=old.published_at, answer_count=old.answer_count, now=timezone.now()
    )
    poll = DatePoll.objects.get()
    assert (poll.wish.state, poll.created_by.email) == ("polling", "sanne@kennisplein.test")
    assert all(option.start > timezone.now() for option in poll.options.all())
    listed = ExpertiseProfile.objects.filter(listed=True).values_list("user__email", flat=True)
    assert sorted(listed) == [
        "lotte@kennisplein.test",
        "pieter@kennisplein.test",
        "sanne@kennisplein.test",
        "youssef@kennisplein.test",
    ]
    assert ExpertiseTopic.objects.filter(user__email="sanne@kennisplein.test").count() == 3


def test_seed_demo_has_a_leermarkt_and_a_community_plan(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    market = Festival.objects.get(slug="leermarkt")
    assert market.is_leermarkt is True
    assert market.stands.count() == 4
    assert market.sessions.filter(stand__isnull=False).count() == 8
    assert sorted(set(market.stands.values_list("materials__category", flat=True))) == [
        "inspiration",
        "theory",
        "tools",
    ]
    assert (
        Rsvp.objects.filter(session__festival=market, user__email="emma@kennisplein.test").count()
        == 2
    )
    plan = CommunityPlan.objects.get(community__slug="data-en-ai", year=timezone.localdate().year)
    assert (plan.time_budget_hours, plan.themes.count()) == (120, 3)
