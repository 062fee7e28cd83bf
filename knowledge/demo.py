"""Demo "wie weet wat" for ``manage.py seed_demo``: colleagues who opted in with their topics,
questions with answers (one accepted, one marked helpful, one anonymous posted by a coordinator,
one unanswered for three weeks that may become a wish), topic wishes with "I'd come" and "I can
tell about this", and a date poll with answers. Idempotent: rows are found by their demo titles
and updated; the poll's dates move with today."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from communities.models import Community, User
from events.takeaways.services import tags_from_names
from knowledge.models import (
    Answer,
    AnswerHelpful,
    DatePoll,
    PollOption,
    PollVote,
    Question,
    Wish,
    WishInterest,
)
from knowledge.services.expertise import expertise_set

DOMAIN = "kennisplein.test"

EXPERTS = {
    # person: (topics, show the evidence)
    "sanne": ("Python, pytest, Data-engineering", True),
    "youssef": ("Security, Privacy", True),
    "lotte": ("Toegankelijkheid, Frontend", True),
    "pieter": ("Architectuur, Celery", False),
}

QUESTIONS = [
    dict(
        key="celery",
        community="python-gilde",
        author="daan",
        title="Hoe test ik een Celery-taak zonder een echte broker te mocken?",
        body="Onze tests draaien nu met CELERY_TASK_ALWAYS_EAGER, maar dat verbergt fouten.",
        tags=["pytest", "Celery"],
        days_ago=6,
        answers=[
            (
                "sanne",
                "Start in de test een echte worker met celery.contrib.testing.worker: "
                "dan zie je ook fouten bij het serialiseren.",
                5,
            ),
            ("pieter", "En zet task_always_eager uit in de testinstellingen.", 5),
        ],
        accepted="sanne",
        helpful=[("sanne", "lotte")],
    ),
    dict(
        key="wcag",
        community=None,
        author="emma",
        title="Wie heeft ervaring met toegankelijkheidsaudits van pdf's?",
        body="We publiceren veel besluiten als pdf en willen weten hoe je die laat toetsen.",
        tags=["Toegankelijkheid"],
        days_ago=3,
        answers=[("lotte", "Begin met PAC 2024 en laat daarna één document handmatig toetsen.", 2)],
        accepted=None,
        helpful=[],
    ),
    dict(
        key="algoritmeregister",
        community="data-en-ai",
        author="fatima",
        title="Hoe registreren we een algoritme in het algoritmeregister?",
        body="Wie heeft dit al eens gedaan, en wat moest er allemaal in?",
        tags=["AI", "Data"],
        days_ago=21,
        answers=[],
        accepted=None,
        helpful=[],
    ),
    dict(
        key="hulp-vragen",
        community="leiderschap",
        author="fatima",
        anonymous=True,
        posted_by="anouk",
        title="Hoe ga je om met een teamlid dat nooit om hulp vraagt?",
        body="",
        tags=["Leiderschap"],
        days_ago=2,
        answers=[
            ("youssef", "Vraag zelf eens om hulp in het teamoverleg: dat maakt het gewoon.", 1)
        ],
        accepted=None,
        helpful=[],
    ),
]

WISHES = [
    dict(
        community="python-gilde",
        author="lotte",
        title="Brown bag: type hints in de praktijk",
        description="Hoe begin je met typing in een bestaande codebase?",
        attend=["lotte", "daan", "pieter"],
        volunteer=["sanne"],
        poll=True,
    ),
    dict(
        community="security-gilde",
        author="daan",
        title="Threat modelling voor beginners",
        description="",
        attend=["daan", "pieter"],
        volunteer=["youssef"],
        poll=False,
    ),
    dict(
        community="frontend-chapter",
        author="emma",
        title="Toegankelijke formulieren bouwen",
        description="Foutmeldingen, labels en toetsenbordbediening.",
        attend=["emma", "daan"],
        volunteer=[],
        poll=False,
    ),
]


def _seed_question(spec: dict, people: dict[str, User], communities: dict[str, Community]):
    now = timezone.now()
    asked = now - timedelta(days=spec["days_ago"])
    community = communities.get(spec["community"]) if spec["community"] else None
    anonymous = spec.get("anonymous", False)
    question, _created = Question.objects.update_or_create(
        title=spec["title"],
        defaults={
            "community": community,
            "author": people[spec["author"]],
            "anonymous": anonymous,
            "posted_by": people[spec["posted_by"]] if spec.get("posted_by") else None,
            "body": spec["body"],
            "tags_text": " ".join(spec["tags"]),
            "state": Question.State.OPEN,
            "created_at": asked,
            "published_at": asked,
        },
    )
    question.tags.set(tags_from_names(spec["tags"]))
    answers = {}
    for author, body, days_ago in spec["answers"]:
        answer, _created = Answer.objects.update_or_create(
            question=question,
            author=people[author],
            defaults={"body": body, "created_at": now - timedelta(days=days_ago)},
        )
        answers[author] = answer
    for answerer, marker in spec["helpful"]:
        AnswerHelpful.objects.get_or_create(answer=answers[answerer], user=people[marker])
    ordered = sorted(answers.values(), key=lambda a: (a.created_at, a.pk))
    question.answer_count = len(ordered)
    question.answers_text = "\n".join(answer.body for answer in ordered)
    question.first_answer_at = ordered[0].created_at if ordered else None
    question.accepted_answer = answers[spec["accepted"]] if spec["accepted"] else None
    question.save()
    return question


def _seed_poll(wish: Wish, coordinator: User, people: dict[str, User]) -> DatePoll:
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    poll, _created = DatePoll.objects.update_or_create(
        wish=wish,
        defaults={
            "created_by": coordinator,
            "format": "brown_bag",
            "location": "Stadskantoor, zaal 4.12",
            "created_at": timezone.now() - timedelta(days=1),
            "closed_at": None,
        },
    )
    starts = [
        datetime.combine(today + timedelta(days=days), time(12, 0), tzinfo=zone)
        for days in (9, 16, 23)
    ]
    PollOption.objects.filter(poll=poll).exclude(start__in=starts).delete()
    options = [
        PollOption.objects.update_or_create(
            poll=poll, start=start, defaults={"end": start + timedelta(hours=1)}
        )[0]
        for start in starts
    ]
    votes = {"lotte": ("yes", "yes", "no"), "daan": ("no", "yes", "maybe")}
    for person, answers in votes.items():
        for option, answer in zip(options, answers, strict=True):
            PollVote.objects.update_or_create(
                option=option, user=people[person], defaults={"answer": answer}
            )
    return poll


def seed() -> int:
    """Create or refresh the demo questions and wishes; returns how many questions there are."""
    people = {
        user.email.split("@")[0]: user for user in User.objects.filter(email__endswith=f"@{DOMAIN}")
    }
    communities = {c.slug: c for c in Community.objects.all()}
    for key, (topics, evidence) in EXPERTS.items():
        expertise_set(
            user=people[key],
            topics=topics,
            listed=True,
            show_evidence=evidence,
            route_questions=True,
            mail_questions=False,
        )
    for spec in QUESTIONS:
        _seed_question(spec, people, communities)
    for spec in WISHES:
        community = communities[spec["community"]]
        wish, _created = Wish.objects.update_or_create(
            community=community,
            title=spec["title"],
            defaults={
                "author": people[spec["author"]],
                "description": spec["description"],
                "state": Wish.State.POLLING if spec["poll"] else Wish.State.OPEN,
                "created_at": timezone.now() - timedelta(days=10),
            },
        )
        for kind, names in (
            (WishInterest.Kind.ATTEND, spec["attend"]),
            (WishInterest.Kind.VOLUNTEER, spec["volunteer"]),
        ):
            for name in names:
                WishInterest.objects.get_or_create(wish=wish, user=people[name], kind=kind)
        if spec["poll"]:
            coordinator = community.memberships.filter(role="coordinator").first().user
            _seed_poll(wish, coordinator, people)
    return len(QUESTIONS)
