"""The objects of "wie weet wat" that tests/test_permission_matrix.py's paths point at: a
question, an answer and a wish in the public and in the private community, an anonymous
question waiting for the public community's coordinator, a wish with a date poll, a person
who opted in and one who did not, and a knowledge-gap survey in each community."""

from datetime import timedelta

from django.utils import timezone

from knowledge.services.questions import answer_post, question_ask
from knowledge.services.surveys import survey_create
from knowledge.services.wishes import poll_create, wish_create
from tests.factories import UserFactory
from tests.knowledge.helpers import opt_in


def knowledge_world(*, member, coordinator, community, private_community) -> dict:
    expert = UserFactory(email="kn-expert@example.org", display_name="Kees Kenner")
    opt_in(expert, "pytest")
    quiet = UserFactory(email="kn-quiet@example.org", display_name="Quinten Quiet")
    public = question_ask(author=member, title="Publieke vraag", community=community)
    private = question_ask(author=member, title="Besloten vraag", community=private_community)
    pending = question_ask(
        author=member, title="Anonieme vraag", community=community, anonymous=True
    )
    public_answer = answer_post(question_id=public.pk, author=coordinator, body="Zo.")
    private_answer = answer_post(question_id=private.pk, author=coordinator, body="Zo.")
    public_wish = wish_create(author=member, community=community, title="Brown bag pytest")
    private_wish = wish_create(author=member, community=private_community, title="Besloten wens")
    poll_wish = wish_create(author=member, community=community, title="Wens met peiling")
    start = timezone.now() + timedelta(days=10)
    poll_create(
        wish_id=poll_wish.pk, actor=coordinator, format="brown_bag", location="Zaal 1",
        options=[(start, start + timedelta(hours=1)), (start + timedelta(days=1),
                 start + timedelta(days=1, hours=1))],
    )  # fmt: skip
    public_survey = survey_create(
        actor=coordinator, community=community, title="Wat leren we?", topics="Python\npytest"
    )
    private_survey = survey_create(
        actor=coordinator, community=private_community, title="Besloten peiling",
        topics="Leiderschap\nFeedback",
    )  # fmt: skip
    return {
        "kn_public_survey": public_survey.pk,
        "kn_public_survey_topic": public_survey.topics.first().pk,
        "kn_private_survey": private_survey.pk,
        "kn_private_survey_topic": private_survey.topics.first().pk,
        "kn_expert": expert.pk,
        "kn_quiet": quiet.pk,
        "kn_public_question": public.pk,
        "kn_private_question": private.pk,
        "kn_pending_question": pending.pk,
        "kn_public_answer": public_answer.pk,
        "kn_private_answer": private_answer.pk,
        "kn_public_wish": public_wish.pk,
        "kn_private_wish": private_wish.pk,
        "kn_poll_wish": poll_wish.pk,
    }
