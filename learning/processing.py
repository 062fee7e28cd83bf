"""Workplace learning's processing activities for the processing register."""

from django.utils.translation import gettext_lazy as _

from communities.register.activities import Activity, register_activity, until_erased


def register_activities() -> None:
    register_activity(
        Activity(
            code="onboarding",
            title=_("Onboarding journeys"),
            purpose=_(
                "Guide a newcomer through their first weeks with a buddy and a workplace "
                "supervisor (werkplekbegeleider)."
            ),
            subjects=_(
                "Newcomers, their buddies and supervisors; coordinators who build journeys."
            ),
            audience=_(
                "The newcomer, the buddy and the supervisor only; coordinators see totals from "
                "five journeys on."
            ),
            retention=until_erased,
            sections=(
                "journey_templates",
                "journeys",
                "journeys_accompanied",
                "journey_steps_done",
                "journey_steps_naming_me",
            ),
        )
    )
    register_activity(
        Activity(
            code="pairing",
            title=_("Coffee pairing and shadowing"),
            purpose=_(
                "Introduce colleagues who do not work together yet, and let people spend a day "
                "with another team (meelopen)."
            ),
            subjects=_("People who opt in to pairing rounds; hosts and guests of shadowing days."),
            audience=_("The pair; the host and the guests of a shadowing day."),
            retention=until_erased,
            sections=("pairing_opt_ins", "pairs", "shadowing_offers"),
            safeguards=_("Opt-in; leaving a programme takes the person out of the next round."),
        )
    )
    register_activity(
        Activity(
            code="learning_record",
            title=_("Learning record and statements"),
            purpose=_(
                "Give a person an overview of what they learned and a signed statement of "
                "reflection hours for a professional register (SKJ, Registerplein)."
            ),
            subjects=_("People who ask for a statement."),
            audience=_(
                "The person; whoever they give the statement's link to sees date, hours, form "
                "and facilitator, never the content of a case."
            ),
            retention=until_erased,
            sections=("statements",),
            safeguards=_("Signed and verified by its digest; invalid once the person is erased."),
        )
    )
    register_activity(
        Activity(
            code="knowledge_articles",
            title=_("Knowledge articles"),
            purpose=_(
                "Keep how-tos, instruction cards, checklists and procedures up to date, with an "
                "owner, co-authors and a history of who changed what."
            ),
            subjects=_("Owners, co-authors and editors of articles; those who reviewed them."),
            audience=_(
                "Whoever may read the article: the organisation, or the members of a private "
                "community."
            ),
            retention=until_erased,
            sections=(
                "articles_owned",
                "article_reviews",
                "article_coauthorships",
                "article_versions",
                "article_files",
            ),
            safeguards=_(
                "At erasure the article moves to a co-author or a coordinator; versions keep "
                "their text without the author."
            ),
        )
    )
    register_activity(
        Activity(
            code="ambassadors",
            title=_("Ambassadors welcoming newcomers"),
            purpose=_("Let a community's ambassadors welcome the people who recently joined."),
            subjects=_("New members of a community and the ambassadors who welcome them."),
            audience=_("The community's ambassadors and coordinators; the newcomer."),
            retention=until_erased,
            sections=("welcomes_received", "welcomes_sent"),
        )
    )
    register_activity(
        Activity(
            code="community_plans",
            title=_("Community plans"),
            purpose=_(
                "Let a community set goals and a time budget for the year and see how the year "
                "went against them."
            ),
            subjects=_("Coordinators who keep a community's plan."),
            audience=_(
                "The community's members (a public community's plan: whoever sees the "
                "community); the figures are totals, never per person."
            ),
            retention=until_erased,
            sections=("community_plans_saved",),
            safeguards=_("Only who saved the plan last is kept; attendance is counted, not named."),
        )
    )
