"""Questions and answers: ask (openly or anonymously to a community's coordinators), post an
anonymous question, answer, accept, "this helped me", and turn an old unanswered question into
a wish. Domain errors carry a translated message and change nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, User
from events.models import Takeaway
from events.takeaways.rules import parse_tags
from events.takeaways.services import tags_from_names, takeaway_keep
from knowledge.models import Answer, AnswerHelpful, Notification, Question, Wish, WishInterest
from knowledge.permissions import leads, may_see_community
from knowledge.rules import BODY_MAX, TITLE_MAX, may_become_wish
from knowledge.selectors.questions import questions_visible_to
from knowledge.services.routing import question_route


class QuestionNotFound(DomainError):
    """The question (or answer) does not exist for this person: views answer 404."""


def _not_found() -> QuestionNotFound:
    return QuestionNotFound(_("This question does not exist."), code="not_found")


def _notify(*, user_id: int | None, kind: str, key: str, question: Question) -> None:
    if user_id is None:
        return
    Notification.objects.get_or_create(
        user_id=user_id,
        key=key,
        defaults={"kind": kind, "question": question, "created_at": timezone.now()},
    )


def _visible(user: User, question_id: int, *, lock: bool = False) -> Question:
    queryset = questions_visible_to(user)
    if lock:
        queryset = Question.objects.select_for_update(of=("self",)).filter(
            pk__in=queryset.values("pk")
        )
    question = queryset.select_related("community").filter(pk=question_id).first()
    if question is None:
        raise _not_found()
    return question


@transaction.atomic
def question_ask(
    *,
    author: User,
    title: str,
    body: str = "",
    tags: str | list[str] = "",
    community: Community | None = None,
    anonymous: bool = False,
) -> Question:
    """Ask a question in a community the person may see, or organisation-wide. Anonymous: only
    in a community, and it waits for one of its coordinators to post it (they never see who
    asked). Otherwise it is routed at once (``question_route``). Transaction: one. Not
    idempotent (every call asks a new question)."""
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Write your question."), code="title")
    if len(title) > TITLE_MAX or len(body or "") > BODY_MAX:
        raise DomainError(_("The question is too long."), code="too_long")
    if community is not None and not may_see_community(author, community):
        raise DomainError(_("This community does not exist."), code="community")
    if anonymous and community is None:
        raise DomainError(
            _("An anonymous question goes to the coordinators of a community: choose one."),
            code="anonymous",
        )
    names = parse_tags(tags)
    now = timezone.now()
    question = Question.objects.create(
        community=community,
        author=author,
        anonymous=anonymous,
        title=title,
        body=(body or "").strip(),
        tags_text=" ".join(names),
        state=Question.State.PENDING if anonymous else Question.State.OPEN,
        created_at=now,
        published_at=None if anonymous else now,
    )
    question.tags.set(tags_from_names(names))
    if anonymous:
        for lead_id in community.memberships.filter(
            state="active", role__in=("coordinator", "facilitator"), user__is_active=True
        ).values_list("user_id", flat=True):
            _notify(
                user_id=lead_id,
                kind=Notification.Kind.QUESTION_TO_POST,
                key=f"to_post:{question.pk}",
                question=question,
            )
    else:
        question_route(question=question, now=now)
    return question


@transaction.atomic
def question_post_anonymous(*, question_id: int, actor: User) -> Question:
    """A coordinator posts an anonymous question of their community: it is published without
    a name and routed. Transaction: one, the question locked. Idempotent: posting it again
    changes nothing."""
    question = _visible(actor, question_id, lock=True)
    if not leads(actor, question.community):
        raise _not_found()
    if question.state != Question.State.PENDING:
        return question
    question.state = Question.State.OPEN
    question.posted_by = actor
    question.published_at = timezone.now()
    question.save(update_fields=["state", "posted_by", "published_at"])
    Notification.objects.filter(key=f"to_post:{question.pk}").update(read_at=timezone.now())
    question_route(question=question)
    return question


@transaction.atomic
def answer_post(*, question_id: int, author: User, body: str) -> Answer:
    """Answer a published question the person may see; the asker is told in the app.
    Transaction: one, the question locked (its answer count and text). Not idempotent."""
    question = _visible(author, question_id, lock=True)
    if question.state != Question.State.OPEN:
        raise DomainError(_("This question is not open for answers."), code="closed")
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your answer."), code="body")
    if len(body) > BODY_MAX:
        raise DomainError(_("The answer is too long."), code="too_long")
    now = timezone.now()
    answer = Answer.objects.create(question=question, author=author, body=body, created_at=now)
    question.answer_count = F("answer_count") + 1
    question.answers_text = (question.answers_text + "\n" + body)[-20_000:]
    if question.first_answer_at is None:
        question.first_answer_at = now
    question.save(update_fields=["answer_count", "answers_text", "first_answer_at"])
    if question.author_id != author.pk:
        _notify(
            user_id=question.author_id,
            kind=Notification.Kind.QUESTION_ANSWERED,
            key=f"answer:{answer.pk}",
            question=question,
        )
    return answer


@transaction.atomic
def answer_accept(*, answer_id: int, actor: User) -> Answer:
    """The asker chooses the answer that solved it (choosing another replaces it).
    Transaction: one. Idempotent."""
    answer = Answer.objects.select_related("question").filter(pk=answer_id).first()
    if answer is None:
        raise _not_found()
    question = _visible(actor, answer.question_id, lock=True)
    if question.author_id != actor.pk:
        raise DomainError(_("Only the person who asked chooses the answer."), code="forbidden")
    if question.accepted_answer_id != answer.pk:
        question.accepted_answer = answer
        question.save(update_fields=["accepted_answer"])
        if answer.author_id != actor.pk:
            _notify(
                user_id=answer.author_id,
                kind=Notification.Kind.ANSWER_ACCEPTED,
                key=f"accepted:{answer.pk}",
                question=question,
            )
    return answer


@transaction.atomic
def answer_helpful_set(*, answer_id: int, user: User, helpful: bool) -> bool:
    """ "This helped me" on or off for an answer the person may read (not their own).
    Transaction: one. Idempotent: the mark is unique per person and answer."""
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is None:
        raise _not_found()
    _visible(user, answer.question_id)
    if answer.author_id == user.pk:
        raise DomainError(_("You cannot mark your own answer."), code="own")
    if helpful:
        try:
            with transaction.atomic():
                AnswerHelpful.objects.get_or_create(answer=answer, user=user)
        except IntegrityError:
            pass
    else:
        AnswerHelpful.objects.filter(answer=answer, user=user).delete()
    return helpful


@transaction.atomic
def question_to_wish(*, question_id: int, actor: User) -> Wish:
    """Turn an unanswered question older than two weeks into a topic wish of its community
    (the asker, or one of its coordinators); the asker says "I'd come". Transaction: one.
    Idempotent: the question's wish is returned the second time."""
    question = _visible(actor, question_id, lock=True)
    existing = Wish.objects.filter(from_question=question).first()
    if existing is not None:
        return existing
    if question.community is None:
        raise DomainError(_("Only a community's question can become a wish."), code="community")
    if not (question.author_id == actor.pk or leads(actor, question.community)):
        raise DomainError(_("Only the asker or a coordinator can do this."), code="forbidden")
    now = timezone.now()
    if not may_become_wish(
        created_at=question.published_at or question.created_at,
        answer_count=question.answer_count,
        now=now,
    ):
        raise DomainError(
            _("Only a question without answers for two weeks can become a wish."), code="early"
        )
    wish = Wish.objects.create(
        community=question.community,
        author=actor,
        title=question.title[:200],
        description=question.body[:2000],
        from_question=question,
        created_at=now,
    )
    if question.author_id:
        WishInterest.objects.get_or_create(
            wish=wish, user_id=question.author_id, kind=WishInterest.Kind.ATTEND
        )
    question.state = Question.State.CLOSED
    question.save(update_fields=["state"])
    return wish


@transaction.atomic
def answer_keep_as_takeaway(*, answer_id: int, actor: User) -> Takeaway:
    """Keep a good answer as a takeaway with one click (the answerer, or the person who
    asked): authored and owned by the answerer, reviewed when due like any takeaway, in the
    question's community with its tags, linked back to the question. Transaction: one, the
    answer locked. Idempotent: the answer's takeaway is returned the second time."""
    answer = Answer.objects.select_for_update(of=("self",)).filter(pk=answer_id).first()
    if answer is None:
        raise _not_found()
    question = _visible(actor, answer.question_id)
    if actor.pk not in (answer.author_id, question.author_id):
        raise DomainError(
            _("Only the person who answered or who asked can keep it."), code="forbidden"
        )
    if answer.takeaway_id is not None:
        return answer.takeaway
    if answer.author is None or not answer.author.is_active:
        raise DomainError(_("Who wrote this answer has left: it cannot be kept."), code="gone")
    takeaway = takeaway_keep(
        author=answer.author,
        community=question.community,
        title=question.title,
        body=answer.body,
        tags=list(question.tags.values_list("name", flat=True)),
    )
    answer.takeaway = takeaway
    answer.save(update_fields=["takeaway"])
    return takeaway


def takeaway_source(takeaway: Takeaway) -> dict | None:
    """The question a kept answer belongs to, for the takeaway's page (one query)."""
    answer = Answer.objects.filter(takeaway=takeaway).select_related("question").first()
    if answer is None:
        return None
    return {
        "title": answer.question.title,
        "url": reverse("question_detail", args=[answer.question_id]),
    }
