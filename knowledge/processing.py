"""Wie weet wat's processing activities for the processing register (communities.register)."""

from django.utils.translation import gettext_lazy as _

from communities.register.activities import Activity, register_activity, until_erased


def register_activities() -> None:
    register_activity(
        Activity(
            code="expertise",
            title=_("Expertise: who knows what"),
            purpose=_(
                "Let colleagues find someone who can help with a topic, only when that person "
                "chose to be listed."
            ),
            subjects=_("People who list topics they can help with."),
            audience=_(
                "Signed-in colleagues, only while the person is listed; the evidence shown only "
                "with the person's consent and only from what the viewer may see."
            ),
            retention=until_erased,
            sections=("expertise", "expertise_topics"),
            safeguards=_("Off by default; no scores or rankings of people."),
        )
    )
    register_activity(
        Activity(
            code="questions",
            title=_("Questions, answers and wishes"),
            purpose=_(
                "Ask and answer questions, route them to people who can help, and turn wishes "
                "for a topic into sessions (date polls)."
            ),
            subjects=_("People who ask, answer, mark answers helpful, wish or vote."),
            audience=_(
                "As the community allows: organisation-wide, or only the members of a private "
                "community; an anonymous question shows its asker to nobody."
            ),
            retention=until_erased,
            sections=(
                "questions",
                "answers",
                "answer_helpful_marks",
                "wishes",
                "wish_interests",
                "date_polls",
                "poll_answers",
                "notifications",
            ),
            safeguards=_("At most 3 routed questions per person in any seven days."),
        )
    )
    register_activity(
        Activity(
            code="knowledge_surveys",
            title=_("Knowledge-gap surveys"),
            purpose=_(
                "Let a community's coordinators learn which topics its members want to learn "
                "about next, and turn them into wishes for sessions."
            ),
            subjects=_("Coordinators who start a survey; members who answer it."),
            audience=_(
                "The community's coordinators, only as totals once at least five members "
                "answered; the free text without names. Nobody sees who answered what."
            ),
            retention=until_erased,
            sections=("surveys", "survey_answers"),
            safeguards=_("Aggregates only, with the minimum group of five of the insights."),
        )
    )
