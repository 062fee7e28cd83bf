"""Send checks of the mail "wie weet wat" sends, asked right before sending: a question that
was closed, or moved out of the person's reach, is not mailed; nor a cancelled session."""

from communities.mail.checks import register_send_check
from communities.mail.models import OutboxMessage
from events.models import Session
from events.sessions.selectors import sessions_visible_to
from knowledge.models import Question
from knowledge.selectors.questions import questions_visible_to
from knowledge.services.routing import KIND_QUESTION_ROUTED
from knowledge.services.wishes import KIND_WISH_SCHEDULED


def _ids(key: str) -> tuple[int, ...] | None:
    parts = key.split(":")
    numbers = parts[1:3]
    if len(numbers) != 2 or not all(part.isdigit() for part in numbers):
        return None
    return int(numbers[0]), int(numbers[1])


def question_still_wanted(message: OutboxMessage) -> bool:
    ids = _ids(message.dedupe_key)
    if ids is None or message.recipient is None:
        return False
    return (
        questions_visible_to(message.recipient)
        .filter(pk=ids[0], state=Question.State.OPEN)
        .exists()
    )


def wished_session_still_on(message: OutboxMessage) -> bool:
    ids = _ids(message.dedupe_key)
    if ids is None or message.recipient is None:
        return False
    return (
        sessions_visible_to(message.recipient)
        .filter(pk=ids[0], state=Session.State.SCHEDULED)
        .exists()
    )


def register_send_checks() -> None:
    register_send_check(KIND_QUESTION_ROUTED)(question_still_wanted)
    register_send_check(KIND_WISH_SCHEDULED)(wished_session_still_on)
