"""Rows of "wie weet wat" for tests/test_personal_data.py's ``people``: the member has data in
every relation to the user, the other person has some too (so leaks would show)."""

from datetime import UTC, datetime, timedelta

from knowledge.models import (
    Answer,
    AnswerHelpful,
    DatePoll,
    ExpertiseProfile,
    ExpertiseTopic,
    Notification,
    PollOption,
    PollVote,
    Question,
    Survey,
    SurveyRating,
    SurveyResponse,
    SurveyTopic,
    Wish,
    WishInterest,
)

SECTIONS = {
    "expertise",
    "expertise_topics",
    "questions",
    "answers",
    "answer_helpful_marks",
    "notifications",
    "wishes",
    "wish_interests",
    "date_polls",
    "poll_answers",
    "surveys",
    "survey_answers",
}
RELATIONS = {
    ("knowledge.ExpertiseProfile", "user"),
    ("knowledge.ExpertiseTopic", "user"),
    ("knowledge.Question", "author"),
    ("knowledge.Question", "posted_by"),
    ("knowledge.Answer", "author"),
    ("knowledge.AnswerHelpful", "user"),
    ("knowledge.Notification", "user"),
    ("knowledge.Wish", "author"),
    ("knowledge.WishInterest", "user"),
    ("knowledge.DatePoll", "created_by"),
    ("knowledge.PollVote", "user"),
    ("knowledge.Survey", "created_by"),
    ("knowledge.SurveyResponse", "user"),
}
AT = datetime(2030, 2, 1, 9, 0, tzinfo=UTC)


def _question(author, title, *, community=None, **fields):
    return Question.objects.create(
        author=author, title=title, community=community, created_at=AT, published_at=AT, **fields
    )


def plant(member, other, community) -> dict:
    ExpertiseProfile.objects.create(user=member, listed=True, show_evidence=True)
    ExpertiseProfile.objects.create(user=other, listed=True)
    ExpertiseTopic.objects.create(user=member, name="Omgevingswet", slug="omgevingswet")
    ExpertiseTopic.objects.create(user=other, name="Renamed by Otto", slug="renamed-by-otto")
    asked = _question(member, "Hoe vraag ik een vergunning aan?", community=community)
    posted = _question(
        other, "Anonieme vraag", community=community, anonymous=True, posted_by=member
    )
    theirs = _question(other, "Vraag van een collega")
    accepted = Answer.objects.create(
        question=theirs, author=member, body="Zo doe je dat.", created_at=AT
    )
    theirs.accepted_answer = accepted
    theirs.save(update_fields=["accepted_answer"])
    lost = Answer.objects.create(
        question=posted, author=member, body="Weet ik niet.", created_at=AT
    )
    helped = Answer.objects.create(
        question=asked, author=other, body="Renamed by Otto", created_at=AT
    )
    AnswerHelpful.objects.create(answer=helped, user=member)
    Notification.objects.create(
        user=member, kind="question_routed", key=f"question:{theirs.pk}", question=theirs,
        created_at=AT,
    )  # fmt: skip
    wish = Wish.objects.create(
        community=community, author=member, title="Brown bag Omgevingswet", created_at=AT
    )
    WishInterest.objects.create(wish=wish, user=member, kind="attend")
    WishInterest.objects.create(wish=wish, user=other, kind="volunteer")
    poll = DatePoll.objects.create(
        wish=wish, created_by=member, format="brown_bag", location="Zaal 1", created_at=AT
    )
    option = PollOption.objects.create(poll=poll, start=AT, end=AT + timedelta(hours=1))
    PollVote.objects.create(option=option, user=member, answer="yes")
    PollVote.objects.create(option=option, user=other, answer="no")
    survey = Survey.objects.create(
        community=community, created_by=member, title="Wat willen we leren?", created_at=AT
    )
    python = SurveyTopic.objects.create(survey=survey, name="Python", position=0)
    security = SurveyTopic.objects.create(survey=survey, name="Security", position=1)
    mine_answer = SurveyResponse.objects.create(
        survey=survey, user=member, comment="Meer over testen", created_at=AT, updated_at=AT
    )
    SurveyRating.objects.create(response=mine_answer, topic=python, score=5)
    SurveyRating.objects.create(response=mine_answer, topic=security, score=2)
    theirs_answer = SurveyResponse.objects.create(
        survey=survey, user=other, comment="Renamed by Otto", created_at=AT, updated_at=AT
    )
    SurveyRating.objects.create(response=theirs_answer, topic=python, score=1)
    return {
        "kn_survey": survey,
        "kn_asked": asked,
        "kn_posted": posted,
        "kn_theirs": theirs,
        "kn_accepted": accepted,
        "kn_lost": lost,
        "kn_wish": wish,
    }


def expected_export(mine: dict) -> dict:
    at = AT.isoformat()
    return {
        "expertise": [
            {
                "listed": True,
                "show_evidence": True,
                "route_questions": True,
                "mail_questions": False,
                "topics": ["Omgevingswet"],
            }
        ],
        "expertise_topics": [{"topic": "Omgevingswet"}],
        "questions": [
            {
                "title": "Hoe vraag ik een vergunning aan?",
                "body": "",
                "tags": "",
                "community": mine["kn_asked"].community.name,
                "anonymous": False,
                "asked_by_me": True,
                "posted_by_me": False,
                "state": "open",
                "asked_at": at,
            },
            {
                "title": "Anonieme vraag",
                "body": "",
                "tags": "",
                "community": mine["kn_posted"].community.name,
                "anonymous": True,
                "asked_by_me": False,
                "posted_by_me": True,
                "state": "open",
                "asked_at": at,
            },
        ],
        "answers": [
            {
                "question": "Vraag van een collega",
                "body": "Zo doe je dat.",
                "accepted": True,
                "answered_at": at,
            },
            {
                "question": "Anonieme vraag",
                "body": "Weet ik niet.",
                "accepted": False,
                "answered_at": at,
            },
        ],
        "answer_helpful_marks": [
            {
                "answer_to": "Hoe vraag ik een vergunning aan?",
                "marked_at": mine["kn_asked"]
                .answers.get()
                .helpful_marks.get()
                .created_at.isoformat(),
            }
        ],
        "notifications": [
            {"kind": "question_routed", "about": "Vraag van een collega", "at": at, "read_at": None}
        ],
        "wishes": [
            {
                "title": "Brown bag Omgevingswet",
                "description": "",
                "community": mine["kn_wish"].community.name,
                "state": "open",
                "wished_at": at,
            }
        ],
        "wish_interests": [
            {
                "wish": "Brown bag Omgevingswet",
                "kind": "attend",
                "at": mine["kn_wish"].interests.get(kind="attend").created_at.isoformat(),
            }
        ],
        "date_polls": [{"wish": "Brown bag Omgevingswet", "created_at": at}],
        "poll_answers": [{"wish": "Brown bag Omgevingswet", "date": at, "answer": "yes"}],
        "surveys": [
            {
                "title": "Wat willen we leren?",
                "community": mine["kn_survey"].community.name,
                "state": "open",
                "created_at": at,
            }
        ],
        "survey_answers": [
            {
                "survey": "Wat willen we leren?",
                "ratings": {"Python": 5, "Security": 2},
                "comment": "Meer over testen",
                "answered_at": at,
                "changed_at": at,
            }
        ],
    }
