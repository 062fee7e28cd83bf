"""Workplace-learning rows for tests/test_personal_data.py's ``people``: the member has data in
every learning relation to the user, the other person has some too (so leaks would show)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from communities.models import Community
from learning.models import (
    Article,
    ArticleCoauthor,
    ArticleFile,
    ArticleVersion,
    CommunityPlan,
    Journey,
    JourneyStep,
    JourneyStepProgress,
    JourneyTemplate,
    Pair,
    PairingOptIn,
    PairingProgramme,
    PairingRound,
    ShadowingOffer,
    Statement,
    Welcome,
)
from tests.factories import CommunityFactory, UserFactory

START = date(2030, 2, 3)
DONE = datetime(2030, 2, 3, 10, 0, tzinfo=UTC)
SLOT = datetime(2030, 2, 5, 9, 0, tzinfo=UTC)


def plant(member, other) -> dict:
    # No memberships: those are the communities' sections. Third people for the other roles,
    # so erasing the member leaves the other person's rows untouched.
    cora = UserFactory(email="lp-cora@example.org", display_name="Lia Leidster")
    lotte = UserFactory(email="lp-lotte@example.org", display_name="Lotte Leerling")
    pim = UserFactory(email="lp-pim@example.org", display_name="Pim Paar")
    template = JourneyTemplate.objects.create(title="Welkom bij Platform", created_by=member)
    step = JourneyStep.objects.create(
        template=template, day_offset=0, kind="meet", title="Koffie met de buddy", person=member
    )
    mine = Journey.objects.create(
        template=template, newcomer=member, buddy=lotte, supervisor=cora, start_date=START,
        started_by=cora,
    )  # fmt: skip
    own_step = JourneyStepProgress.objects.create(
        journey=mine, step=step, due_date=START, done_at=DONE, done_by=member
    )
    accompanied = Journey.objects.create(
        template=template, newcomer=lotte, buddy=member, supervisor=cora, start_date=START,
        started_by=member,
    )  # fmt: skip
    JourneyStepProgress.objects.create(
        journey=accompanied, step=step, due_date=START, done_at=DONE, done_by=member
    )
    Journey.objects.create(
        template=template, newcomer=pim, buddy=lotte, supervisor=member, start_date=START,
    )  # fmt: skip
    theirs = Journey.objects.create(
        template=JourneyTemplate.objects.create(title="Otto's route", created_by=other),
        newcomer=other, buddy=lotte, supervisor=cora, start_date=START,
    )  # fmt: skip
    programme = PairingProgramme.objects.create(
        name="Koffie", cadence_weeks=4, next_round_on=date(2030, 3, 1)
    )
    opt_in = PairingOptIn.objects.create(programme=programme, user=member, skip_next=True)
    PairingOptIn.objects.create(programme=programme, user=other, paused=True)
    round_ = PairingRound.objects.create(programme=programme, number=1, held_on=date(2030, 2, 3))
    Pair.objects.create(round=round_, first=member, second=pim, slot_start=SLOT)
    Pair.objects.create(round=round_, first=other, second=lotte, slot_start=SLOT)
    trio_round = PairingRound.objects.create(
        programme=programme, number=2, held_on=date(2030, 3, 3)
    )
    Pair.objects.create(round=trio_round, first=pim, second=lotte, third=member, slot_start=SLOT)
    third_round = PairingRound.objects.create(
        programme=programme, number=3, held_on=date(2030, 4, 3)
    )
    Pair.objects.create(round=third_round, first=lotte, second=member, slot_start=SLOT)
    offer = ShadowingOffer.objects.create(
        host=member, team="Platform", title="Een dag bij Platform", description="d",
        location="Kantoor",
    )  # fmt: skip
    ShadowingOffer.objects.create(
        host=other, team="Otto's team", title="Renamed by Otto", description="d", location="x"
    )
    statement = Statement.objects.create(
        user=member, person_name="Mia Member", period_start=date(2029, 1, 1),
        period_end=date(2029, 12, 31), language="nl", total_hours=Decimal("2.00"),
        lines=[{"date": "2029-05-01", "hours": "2.00", "form": "intervision",
                "title": "Incidentmethode", "facilitator": "Lia Leidster"}],
        digest="0" * 64,
    )  # fmt: skip
    Statement.objects.create(
        user=other, person_name="Otto", period_start=date(2029, 1, 1),
        period_end=date(2029, 12, 31), language="nl", total_hours=Decimal("1.00"), digest="1" * 64,
    )  # fmt: skip
    # Articles: the member owns one (co-author Pim), co-authors Otto's, wrote a version of it,
    # uploaded a file, reviewed it; welcomed Lotte and was welcomed by Lia in a community.
    owned = Article.objects.create(title="Releasen", kind="howto", owner=member, body="1. Tag")
    ArticleCoauthor.objects.create(article=owned, user=pim)
    ArticleVersion.objects.create(article=owned, number=1, title="Releasen", author=member)
    others = Article.objects.create(
        title="Gedeelde procedure", kind="procedure", owner=other, reviewed_by=member,
        reviewed_at=DONE,
    )  # fmt: skip
    coauthorship = ArticleCoauthor.objects.create(article=others, user=member)
    ArticleVersion.objects.create(
        article=others, number=1, title="Gedeelde procedure", author=other
    )
    ArticleVersion.objects.create(
        article=others, number=2, title="Gedeelde procedure", author=member, note="stap 3"
    )
    ArticleFile.objects.create(
        article=others, name="schema.pdf", content_type="application/pdf", size=5,
        data=b"%PDF-", uploaded_by=member,
    )  # fmt: skip
    welcome_community = CommunityFactory(name="Welkomstgilde", slug="welkomstgilde")
    Welcome.objects.create(community=welcome_community, newcomer=lotte, welcomed_by=member)
    Welcome.objects.create(community=welcome_community, newcomer=member, welcomed_by=cora)
    Welcome.objects.create(community=welcome_community, newcomer=other, welcomed_by=cora)
    plan_community = Community.objects.create(
        name="Platformgilde", slug="lp-platformgilde", kind=Community.Kind.GUILD
    )
    plan = CommunityPlan.objects.create(
        community=plan_community, year=2030, time_budget_hours=20, updated_by=member
    )
    CommunityPlan.objects.create(community=plan_community, year=2031, updated_by=other)
    return {
        "lp_owned_article": owned,
        "lp_coauthorship": coauthorship,
        "lp_plan": plan,
        "lp_journey": mine,
        "lp_own_step": own_step,
        "lp_template": template,
        "lp_opt_in": opt_in,
        "lp_offer": offer,
        "lp_statement": statement,
        "lp_theirs": theirs,
    }


def expected_export(mine: dict) -> dict:
    owned = mine["lp_owned_article"]
    welcome_at = {
        w.newcomer.email: w.sent_at.isoformat() for w in Welcome.objects.select_related("newcomer")
    }
    return {
        "articles_owned": [
            {
                "title": "Releasen",
                "kind": "howto",
                "community": None,
                "version": 1,
                "review_due": None,
                "created_at": owned.created_at.isoformat(),
            }
        ],
        "article_reviews": [{"article": "Gedeelde procedure", "reviewed_at": DONE.isoformat()}],
        "article_coauthorships": [
            {
                "article": "Gedeelde procedure",
                "since": mine["lp_coauthorship"].added_at.isoformat(),
            }
        ],
        "article_versions": [
            {
                "article": "Releasen",
                "version": 1,
                "note": "",
                "at": ArticleVersion.objects.get(article=owned).created_at.isoformat(),
            },
            {
                "article": "Gedeelde procedure",
                "version": 2,
                "note": "stap 3",
                "at": ArticleVersion.objects.get(number=2).created_at.isoformat(),
            },
        ],
        "article_files": [
            {
                "article": "Gedeelde procedure",
                "file": "schema.pdf",
                "size": 5,
                "at": ArticleFile.objects.get().created_at.isoformat(),
            }
        ],
        "welcomes_received": [
            {
                "community": "Welkomstgilde",
                "by": "Lia Leidster",
                "at": welcome_at["member@example.org"],
            }
        ],
        "welcomes_sent": [
            {
                "community": "Welkomstgilde",
                "newcomer": "Lotte Leerling",
                "at": welcome_at["lp-lotte@example.org"],
            }
        ],
        "journeys": [
            {
                "journey": "Welkom bij Platform",
                "start_date": "2030-02-03",
                "state": "active",
                "completed_at": None,
                "steps": [
                    {
                        "title": "Koffie met de buddy",
                        "due": "2030-02-03",
                        "done_at": DONE.isoformat(),
                    }
                ],
            }
        ],
        "journeys_accompanied": [
            {
                "journey": "Welkom bij Platform",
                "newcomer": "Lotte Leerling",
                "roles": ["buddy", "started_by"],
                "start_date": "2030-02-03",
            },
            {
                "journey": "Welkom bij Platform",
                "newcomer": "Pim Paar",
                "roles": ["supervisor"],
                "start_date": "2030-02-03",
            },
        ],
        "journey_steps_done": [
            {"step": "Koffie met de buddy", "done_at": DONE.isoformat()},
            {"step": "Koffie met de buddy", "done_at": DONE.isoformat()},
        ],
        "journey_templates": [
            {
                "title": "Welkom bij Platform",
                "created_at": mine["lp_template"].created_at.isoformat(),
            }
        ],
        "journey_steps_naming_me": [
            {"template": "Welkom bij Platform", "step": "Koffie met de buddy"}
        ],
        "pairing_opt_ins": [
            {
                "programme": "Koffie",
                "skip_next": True,
                "paused": False,
                "since": mine["lp_opt_in"].created_at.isoformat(),
            }
        ],
        "pairs": [
            {
                "programme": "Koffie",
                "round": 1,
                "with": ["Pim Paar"],
                "suggested_slot": SLOT.isoformat(),
            },
            {
                "programme": "Koffie",
                "round": 2,
                "with": ["Pim Paar", "Lotte Leerling"],
                "suggested_slot": SLOT.isoformat(),
            },
            {
                "programme": "Koffie",
                "round": 3,
                "with": ["Lotte Leerling"],
                "suggested_slot": SLOT.isoformat(),
            },
        ],
        "shadowing_offers": [
            {
                "title": "Een dag bij Platform",
                "team": "Platform",
                "location": "Kantoor",
                "created_at": mine["lp_offer"].created_at.isoformat(),
            }
        ],
        "community_plans_saved": [
            {
                "community": "Platformgilde",
                "year": 2030,
                "updated_at": mine["lp_plan"].updated_at.isoformat(),
            }
        ],
        "statements": [
            {
                "issued_at": mine["lp_statement"].issued_at.isoformat(),
                "period": ["2029-01-01", "2029-12-31"],
                "total_hours": "2.00",
                "lines": [
                    {
                        "date": "2029-05-01",
                        "hours": "2.00",
                        "form": "intervision",
                        "title": "Incidentmethode",
                        "facilitator": "Lia Leidster",
                    }
                ],
            }
        ],
    }


SECTIONS = {
    "articles_owned",
    "article_reviews",
    "article_coauthorships",
    "article_versions",
    "article_files",
    "welcomes_received",
    "welcomes_sent",
    "journeys",
    "journeys_accompanied",
    "journey_steps_done",
    "journey_templates",
    "journey_steps_naming_me",
    "pairing_opt_ins",
    "pairs",
    "shadowing_offers",
    "statements",
    "community_plans_saved",
}

RELATIONS = {
    ("learning.Article", "owner"),
    ("learning.Article", "reviewed_by"),
    ("learning.ArticleCoauthor", "user"),
    ("learning.ArticleVersion", "author"),
    ("learning.ArticleFile", "uploaded_by"),
    ("learning.Welcome", "newcomer"),
    ("learning.Welcome", "welcomed_by"),
    ("learning.Journey", "newcomer"),
    ("learning.Journey", "buddy"),
    ("learning.Journey", "supervisor"),
    ("learning.Journey", "started_by"),
    ("learning.JourneyStepProgress", "done_by"),
    ("learning.JourneyTemplate", "created_by"),
    ("learning.JourneyStep", "person"),
    ("learning.PairingOptIn", "user"),
    ("learning.Pair", "first"),
    ("learning.Pair", "second"),
    ("learning.Pair", "third"),
    ("learning.ShadowingOffer", "host"),
    ("learning.Statement", "user"),
    ("learning.CommunityPlan", "updated_by"),
}
