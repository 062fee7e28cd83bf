"""Every model of the learning app, gathered from its topic packages (like ``events.models``)."""

from learning.ambassadors.models import Welcome
from learning.articles.models import Article, ArticleCoauthor, ArticleFile, ArticleVersion
from learning.journeys.models import Journey, JourneyStep, JourneyStepProgress, JourneyTemplate
from learning.pairing.models import Pair, PairingOptIn, PairingProgramme, PairingRound
from learning.plans.models import CommunityPlan, PlanTheme
from learning.record.models import Statement
from learning.shadowing.models import ShadowingOffer, ShadowingSlot

__all__ = [
    "Article",
    "ArticleCoauthor",
    "ArticleFile",
    "ArticleVersion",
    "CommunityPlan",
    "Journey",
    "JourneyStep",
    "JourneyStepProgress",
    "JourneyTemplate",
    "Pair",
    "PairingOptIn",
    "PairingProgramme",
    "PairingRound",
    "PlanTheme",
    "ShadowingOffer",
    "ShadowingSlot",
    "Statement",
    "Welcome",
]
