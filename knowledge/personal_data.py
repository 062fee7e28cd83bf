"""What "wie weet wat" holds about a person, for "download my data" and erasure (rule 9).

Erasure: the profile, topics, notifications, marks, interests and poll answers go with the
person. Their answers stay without an author where the asker accepted them, the others go.
Their questions stay without an author when colleagues answered them, the others go. Wishes and
polls stay for the community, unlinked. A survey stays without its creator; a person's
answers to surveys (ratings and free text) go with them."""

from django.db.models import Count, Exists, OuterRef, Q

from communities.models import User
from communities.personal_data import iso, register
from knowledge.models import (
    Answer,
    AnswerHelpful,
    DatePoll,
    ExpertiseProfile,
    ExpertiseTopic,
    Notification,
    PollVote,
    Question,
    Survey,
    SurveyResponse,
    Wish,
    WishInterest,
)


def _export_profile(user: User) -> list[dict]:
    return [
        {
            "listed": p.listed,
            "show_evidence": p.show_evidence,
            "route_questions": p.route_questions,
            "mail_questions": p.mail_questions,
            "topics": list(
                ExpertiseTopic.objects.filter(user=user)
                .order_by("name")
                .values_list("name", flat=True)
            ),
        }
        for p in ExpertiseProfile.objects.filter(user=user)
    ]


def _export_topics(user: User) -> list[dict]:
    return [
        {"topic": name}
        for name in ExpertiseTopic.objects.filter(user=user)
        .order_by("name")
        .values_list("name", flat=True)
    ]


def _export_questions(user: User) -> list[dict]:
    return [
        {
            "title": q.title,
            "body": q.body,
            "tags": q.tags_text,
            "community": q.community.name if q.community else None,
            "anonymous": q.anonymous,
            "asked_by_me": q.author_id == user.pk,
            "posted_by_me": q.posted_by_id == user.pk,
            "state": q.state,
            "asked_at": iso(q.created_at),
        }
        for q in Question.objects.filter(Q(author=user) | Q(posted_by=user))
        .select_related("community")
        .order_by("id")
    ]


def _erase_questions(user: User) -> None:
    others = Answer.objects.filter(question=OuterRef("pk")).exclude(author=user)
    Question.objects.filter(author=user).exclude(Exists(others)).delete()


def _export_answers(user: User) -> list[dict]:
    return [
        {
            "question": a.question.title,
            "body": a.body,
            "accepted": a.question.accepted_answer_id == a.pk,
            "answered_at": iso(a.created_at),
        }
        for a in Answer.objects.filter(author=user).select_related("question").order_by("id")
    ]


def _erase_answers(user: User) -> None:
    """Accepted answers stay (without author); the others go, and their questions' counts and
    search text follow."""
    gone = Answer.objects.filter(author=user).exclude(
        pk__in=Question.objects.filter(accepted_answer__isnull=False).values("accepted_answer")
    )
    question_ids = set(gone.values_list("question_id", flat=True))
    gone.delete()
    for question in Question.objects.filter(pk__in=question_ids).annotate(n=Count("answers")):
        question.answer_count = question.n
        question.answers_text = "\n".join(
            question.answers.order_by("created_at", "id").values_list("body", flat=True)
        )[-20_000:]
        first = question.answers.order_by("created_at").first()
        question.first_answer_at = first.created_at if first else None
        question.save(update_fields=["answer_count", "answers_text", "first_answer_at"])


def _export_helpful(user: User) -> list[dict]:
    return [
        {"answer_to": m.answer.question.title, "marked_at": iso(m.created_at)}
        for m in AnswerHelpful.objects.filter(user=user)
        .select_related("answer__question")
        .order_by("id")
    ]


def _export_notifications(user: User) -> list[dict]:
    return [
        {
            "kind": n.kind,
            "about": n.question.title if n.question_id else n.wish.title,
            "at": iso(n.created_at),
            "read_at": iso(n.read_at),
        }
        for n in Notification.objects.filter(user=user)
        .select_related("question", "wish")
        .order_by("id")
    ]


def _export_wishes(user: User) -> list[dict]:
    return [
        {
            "title": w.title,
            "description": w.description,
            "community": w.community.name if w.community else None,
            "state": w.state,
            "wished_at": iso(w.created_at),
        }
        for w in Wish.objects.filter(author=user).select_related("community").order_by("id")
    ]


def _export_interests(user: User) -> list[dict]:
    return [
        {"wish": i.wish.title, "kind": i.kind, "at": iso(i.created_at)}
        for i in WishInterest.objects.filter(user=user).select_related("wish").order_by("id")
    ]


def _export_polls(user: User) -> list[dict]:
    return [
        {"wish": p.wish.title, "created_at": iso(p.created_at)}
        for p in DatePoll.objects.filter(created_by=user).select_related("wish").order_by("id")
    ]


def _export_votes(user: User) -> list[dict]:
    return [
        {"wish": v.option.poll.wish.title, "date": iso(v.option.start), "answer": v.answer}
        for v in PollVote.objects.filter(user=user)
        .select_related("option__poll__wish")
        .order_by("id")
    ]


def _export_surveys(user: User) -> list[dict]:
    return [
        {
            "title": s.title,
            "community": s.community.name,
            "state": s.state,
            "created_at": iso(s.created_at),
        }
        for s in Survey.objects.filter(created_by=user).select_related("community").order_by("id")
    ]


def _export_survey_answers(user: User) -> list[dict]:
    return [
        {
            "survey": r.survey.title,
            "ratings": {
                rating.topic.name: rating.score
                for rating in r.ratings.select_related("topic").order_by("topic__position", "id")
            },
            "comment": r.comment,
            "answered_at": iso(r.created_at),
            "changed_at": iso(r.updated_at),
        }
        for r in SurveyResponse.objects.filter(user=user).select_related("survey").order_by("id")
    ]


def register_personal_data() -> None:
    register(
        section="expertise",
        model=ExpertiseProfile,
        user_fields=("user",),
        export=_export_profile,
        erasure="cascade",
    )
    register(
        section="expertise_topics",
        model=ExpertiseTopic,
        user_fields=("user",),
        export=_export_topics,
        erasure="cascade",
    )
    register(
        section="questions",
        model=Question,
        user_fields=("author", "posted_by"),
        export=_export_questions,
        erasure=_erase_questions,
    )
    register(
        section="answers",
        model=Answer,
        user_fields=("author",),
        export=_export_answers,
        erasure=_erase_answers,
    )
    register(
        section="answer_helpful_marks",
        model=AnswerHelpful,
        user_fields=("user",),
        export=_export_helpful,
        erasure="cascade",
    )
    register(
        section="notifications",
        model=Notification,
        user_fields=("user",),
        export=_export_notifications,
        erasure="cascade",
    )
    register(
        section="wishes",
        model=Wish,
        user_fields=("author",),
        export=_export_wishes,
        erasure="set_null",
    )
    register(
        section="wish_interests",
        model=WishInterest,
        user_fields=("user",),
        export=_export_interests,
        erasure="cascade",
    )
    register(
        section="date_polls",
        model=DatePoll,
        user_fields=("created_by",),
        export=_export_polls,
        erasure="set_null",
    )
    register(
        section="poll_answers",
        model=PollVote,
        user_fields=("user",),
        export=_export_votes,
        erasure="cascade",
    )
    register(
        section="surveys",
        model=Survey,
        user_fields=("created_by",),
        export=_export_surveys,
        erasure="set_null",
    )
    register(
        section="survey_answers",
        model=SurveyResponse,
        user_fields=("user",),
        export=_export_survey_answers,
        erasure="cascade",
    )
