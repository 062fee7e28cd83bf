"""Knowledge-gap surveys: the ones a person may answer, their answer, and the results as
aggregates only (rule 11): nothing is shown while fewer than ``MIN_GROUP`` members answered,
a topic's figures only once ``MIN_GROUP`` people rated it, free text without names in
alphabetical order (never in the order it came in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from communities.models import User
from events.insights.selectors import MIN_GROUP
from knowledge.models import Survey, SurveyRating, SurveyResponse, SurveyTopic
from knowledge.permissions import member_of
from knowledge.rules import SCORE_WANTED, mean_score


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    """Surveys of the live communities the person is an active member of."""
    if not user.is_authenticated:
        return Survey.objects.none()
    return Survey.objects.filter(community_id__in=member_of(user), community__archived=False)


def survey_list(user: User) -> QuerySet[Survey]:
    """The surveys page: open ones first, newest first, with the number of answers. One query."""
    return (
        surveys_visible_to(user)
        .select_related("community")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-state", "-created_at", "-id")
    )


def survey_for_viewer(*, user: User, survey_id: int) -> Survey | None:
    return surveys_visible_to(user).select_related("community").filter(pk=survey_id).first()


def survey_topics(survey: Survey) -> list[SurveyTopic]:
    return list(SurveyTopic.objects.filter(survey=survey).select_related("wish"))


def my_answer(survey: Survey, user: User) -> tuple[dict[int, int], str, bool]:
    """The person's scores per topic, their comment, and whether they answered."""
    response = SurveyResponse.objects.filter(survey=survey, user=user).first()
    if response is None:
        return {}, "", False
    scores = dict(SurveyRating.objects.filter(response=response).values_list("topic_id", "score"))
    return scores, response.comment, True


@dataclass
class TopicResult:
    topic: SurveyTopic
    ratings: int
    mean: float | None = None
    wanted: int | None = None  # rated 4 or 5

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass
class SurveyResults:
    respondents: int
    enough_people: bool
    topics: list[TopicResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def survey_results(survey: Survey) -> SurveyResults:
    """The aggregates of a survey, the most wanted topic first. Three queries."""
    respondents = SurveyResponse.objects.filter(survey=survey).count()
    enough = respondents >= MIN_GROUP
    scores: dict[int, list[int]] = {}
    for topic_id, score in SurveyRating.objects.filter(response__survey=survey).values_list(
        "topic_id", "score"
    ):
        scores.setdefault(topic_id, []).append(score)
    results = []
    for topic in survey_topics(survey):
        given = scores.get(topic.pk, [])
        result = TopicResult(topic=topic, ratings=len(given) if enough else 0)
        if enough and len(given) >= MIN_GROUP:
            result.mean = mean_score(given)
            result.wanted = sum(1 for score in given if score >= SCORE_WANTED)
        results.append(result)
    results.sort(
        key=lambda r: (
            not r.shown,
            -(r.mean or 0),
            -(r.wanted or 0),
            r.topic.position,
            r.topic.pk,
        )
    )
    comments: list[str] = []
    if enough:
        comments = sorted(
            (
                text.strip()
                for text in SurveyResponse.objects.filter(survey=survey)
                .exclude(comment="")
                .values_list("comment", flat=True)
            ),
            key=str.casefold,
        )
    return SurveyResults(
        respondents=respondents, enough_people=enough, topics=results, comments=comments
    )
