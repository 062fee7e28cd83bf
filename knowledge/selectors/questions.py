"""Which questions a person may read, one question with its answers, the list and search."""

from __future__ import annotations

from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from communities.models import User
from events.models import TakeawayTag
from events.takeaways.selectors.search import TSQUERY, TakeawayPaginator, search_words
from knowledge.models import Answer, AnswerHelpful, Question
from knowledge.permissions import community_readable_q, leads_of


def readable_q(user: User) -> Q:
    """Published questions of communities the viewer may see; a pending (anonymous) question
    only for the coordinators of its community and the person who asked it."""
    published = ~Q(state=Question.State.PENDING)
    pending_for_me = Q(state=Question.State.PENDING) & (
        Q(community_id__in=leads_of(user)) | Q(author=user)
    )
    return community_readable_q(user) & (published | pending_for_me)


def questions_visible_to(user: User) -> QuerySet[Question]:
    if not user.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(readable_q(user))


def _prefix_query(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


def matching(queryset: QuerySet[Question], q: str) -> QuerySet[Question]:
    """Questions whose text, tags or answers match the words of ``q`` (PostgreSQL full text with
    Dutch and English stemming and prefixes; SQLite: substrings), newest first."""
    words = search_words(q)
    if not words:
        return queryset.order_by("-created_at", "-id")
    if connection.vendor == "postgresql":
        query = _prefix_query(words)
        # Newest matches first: with the GIN index for rare words and the newest-first index
        # for common ones, a page costs about the same at 10,000 and 100,000 questions (a rank
        # would have to be computed for every match before the first page is known).
        return (
            queryset.annotate(
                # Constant SQL text; the words are bound parameters (and only \w characters).
                matches=RawSQL(  # noqa: S611
                    f'"knowledge_question"."search_document" @@ {TSQUERY}',
                    [query, query, query],
                    output_field=BooleanField(),
                ),
            )
            .filter(matches=True)
            .order_by("-created_at", "-id")
        )
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(tags_text__icontains=word)
            | Q(answers_text__icontains=word)
        )
    return queryset.order_by("-created_at", "-id")


def with_listing_data(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """What a question card shows: community, author, tags (one prefetch)."""
    return queryset.select_related("community", "author").prefetch_related(
        Prefetch("tags", queryset=TakeawayTag.objects.order_by("name"))
    )


def question_list(
    user: User, *, q: str = "", community_slug: str = "", unanswered: bool = False
) -> QuerySet[Question]:
    """The questions page: published questions the viewer may read, filtered. Constant queries."""
    queryset = questions_visible_to(user).exclude(state=Question.State.PENDING)
    if community_slug:
        queryset = queryset.filter(community__slug=community_slug)
    if unanswered:
        queryset = queryset.filter(answer_count=0)
    return with_listing_data(matching(queryset, q))


def questions_to_post(user: User) -> list[Question]:
    """Anonymous questions waiting for this coordinator (their communities), oldest first."""
    if not user.is_authenticated:
        return []
    return list(
        Question.objects.filter(state=Question.State.PENDING, community_id__in=leads_of(user))
        .filter(community__archived=False)
        .select_related("community")
        .order_by("created_at", "id")
    )


def question_for_viewer(*, user: User, question_id: int) -> Question | None:
    return with_listing_data(questions_visible_to(user)).filter(pk=question_id).first()


def answers_of(*, user: User, question: Question) -> list[Answer]:
    """The answers of a question the viewer reads, the accepted one first, with their marks."""
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("author")
        .annotate(
            helpful_count=Count("helpful_marks"),
            marked_helpful=Exists(
                AnswerHelpful.objects.filter(answer=OuterRef("pk"), user_id=user.pk)
            ),
        )
        .order_by("created_at", "id")
    )
    answers.sort(key=lambda answer: answer.pk != question.accepted_answer_id)
    return answers


SEARCH_CAP = 1_000


def question_page(
    user: User, *, q: str = "", unanswered: bool = False, number=1, per_page: int = 20
) -> Page:
    """One page of the questions list, its count capped at 1,001. With words, the matching ids
    come first (the GIN index, at most 1,001 of them): when fewer match, the page is sorted
    from those ids, so a rare word never walks the whole newest-first index; when more match,
    the newest-first index finds a page of them at once. Four queries either way."""
    queryset = question_list(user, q=q, unanswered=unanswered)
    if search_words(q):
        ids = list(queryset.order_by().values_list("pk", flat=True)[: SEARCH_CAP + 1])
        if len(ids) <= SEARCH_CAP:
            queryset = with_listing_data(Question.objects.filter(pk__in=ids)).order_by(
                "-created_at", "-id"
            )
    return TakeawayPaginator(queryset, per_page).get_page(number)
