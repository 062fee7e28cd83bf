"""Knowledge-gap surveys: a coordinator asks their community what it wants to learn next,
members rate the topics and may add free text, the coordinator closes it, and a topic becomes
a wish of the community in one step. Domain errors carry a translated message and change
nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, User
from knowledge.models import Survey, SurveyRating, SurveyResponse, SurveyTopic, Wish
from knowledge.models.surveys import SCORE_MAX, SCORE_MIN
from knowledge.permissions import is_member, leads
from knowledge.rules import SURVEY_MAX_TOPICS, SURVEY_MIN_TOPICS, survey_topic_names
from knowledge.selectors.surveys import survey_results, surveys_visible_to


class SurveyNotFound(DomainError):
    """The survey (or topic) does not exist for this person: views answer 404."""


def _not_found() -> SurveyNotFound:
    return SurveyNotFound(_("This survey does not exist."), code="not_found")


def _visible(user: User, survey_id: int, *, lock: bool = False) -> Survey:
    queryset = surveys_visible_to(user)
    if lock:
        queryset = Survey.objects.select_for_update(of=("self",)).filter(
            pk__in=queryset.values("pk")
        )
    survey = queryset.select_related("community").filter(pk=survey_id).first()
    if survey is None:
        raise _not_found()
    return survey


def _managed(actor: User, survey_id: int) -> Survey:
    survey = _visible(actor, survey_id, lock=True)
    if not leads(actor, survey.community):
        raise _not_found()
    return survey


@transaction.atomic
def survey_create(
    *, actor: User, community: Community, title: str, topics: str, intro: str = ""
) -> Survey:
    """A coordinator starts a survey of their community with 2–12 topics (one per line).
    Transaction: one. Not idempotent (every call starts a new survey)."""
    if community is None or not leads(actor, community) or community.archived:
        raise DomainError(_("Choose a community you coordinate."), code="community")
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Write the survey's question."), code="title")
    if len(title) > 200 or len(intro or "") > 1000:
        raise DomainError(_("The survey is too long."), code="too_long")
    names = survey_topic_names(topics)
    if not SURVEY_MIN_TOPICS <= len(names) <= SURVEY_MAX_TOPICS:
        raise DomainError(
            _("Give between %(min)d and %(max)d topics, one per line.")
            % {"min": SURVEY_MIN_TOPICS, "max": SURVEY_MAX_TOPICS},
            code="topics",
        )
    if any(len(name) > 120 for name in names):
        raise DomainError(_("A topic is at most 120 characters."), code="topics")
    survey = Survey.objects.create(
        community=community,
        created_by=actor,
        title=title,
        intro=(intro or "").strip(),
        created_at=timezone.now(),
    )
    SurveyTopic.objects.bulk_create(
        [
            SurveyTopic(survey=survey, name=name, position=number)
            for number, name in enumerate(names)
        ]
    )
    return survey


@transaction.atomic
def survey_respond(
    *, survey_id: int, user: User, scores: dict[int, int], comment: str = ""
) -> SurveyResponse:
    """A member's answer: a score from 1 to 5 per topic they rate (they may skip some) and
    free text. Transaction: one, the survey locked. Idempotent: answering again replaces the
    earlier answer (one per person and survey)."""
    survey = _visible(user, survey_id, lock=True)
    if not is_member(user, survey.community):
        raise _not_found()
    if survey.state != Survey.State.OPEN:
        raise DomainError(_("This survey is closed."), code="closed")
    topic_ids = set(SurveyTopic.objects.filter(survey=survey).values_list("pk", flat=True))
    for topic_id, score in scores.items():
        if topic_id not in topic_ids or not SCORE_MIN <= score <= SCORE_MAX:
            raise DomainError(_("Rate each topic from 1 to 5, or skip it."), code="score")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise DomainError(_("The text is too long."), code="too_long")
    if not scores and not comment:
        raise DomainError(_("Rate at least one topic or write what you would like to learn."))
    now = timezone.now()
    response, _created = SurveyResponse.objects.update_or_create(
        survey=survey,
        user=user,
        defaults={"comment": comment, "updated_at": now},
        create_defaults={"comment": comment, "created_at": now, "updated_at": now},
    )
    SurveyRating.objects.filter(response=response).delete()
    SurveyRating.objects.bulk_create(
        [
            SurveyRating(response=response, topic_id=topic_id, score=score)
            for topic_id, score in sorted(scores.items())
        ]
    )
    return response


@transaction.atomic
def survey_close(*, survey_id: int, actor: User) -> Survey:
    """A coordinator closes the survey: no more answers, the results stay. Transaction: one.
    Idempotent."""
    survey = _managed(actor, survey_id)
    if survey.state != Survey.State.CLOSED:
        survey.state = Survey.State.CLOSED
        survey.closed_at = timezone.now()
        survey.save(update_fields=["state", "closed_at"])
    return survey


@transaction.atomic
def survey_topic_to_wish(*, survey_id: int, topic_id: int, actor: User) -> Wish:
    """A coordinator turns a survey topic into a wish of the community (the survey's aggregate
    in its description, never who rated what); colleagues then say "I'd come" or "I can tell
    about this" on the wish as usual. Transaction: one, the survey locked. Idempotent: the
    topic's wish is returned the second time."""
    survey = _managed(actor, survey_id)
    topic = SurveyTopic.objects.filter(survey=survey, pk=topic_id).select_related("wish").first()
    if topic is None:
        raise _not_found()
    if topic.wish is not None:
        return topic.wish
    result = next(r for r in survey_results(survey).topics if r.topic.pk == topic.pk)
    if result.shown:
        description = _(
            "From the survey “%(survey)s”: %(wanted)d of %(ratings)d colleagues want to learn "
            "this (%(mean)s out of 5 on average)."
        ) % {
            "survey": survey.title,
            "wanted": result.wanted,
            "ratings": result.ratings,
            "mean": number_format(result.mean, 1),
        }
    else:
        description = _("From the survey “%(survey)s”.") % {"survey": survey.title}
    wish = Wish.objects.create(
        community=survey.community,
        author=actor,
        title=topic.name[:200],
        description=description[:2000],
        created_at=timezone.now(),
    )
    topic.wish = wish
    topic.save(update_fields=["wish"])
    return wish
