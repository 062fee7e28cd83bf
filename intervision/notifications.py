"""Send checks for intervision nudges: a reminder for a cancelled session is skipped, so is a
check-in for an action that is no longer open."""

from communities.mail.checks import register_send_check
from communities.mail.models import OutboxMessage
from events.models import Session
from intervision.models import ActionCommitment

SESSION_KINDS = ("call_for_cases", "case_deadline", "agenda", "takeaway")


def _session_still_on(message: OutboxMessage) -> bool:
    # dedupe key: reminder:<session>:<user>:<kind>
    session_id = message.dedupe_key.split(":")[1]
    return Session.objects.filter(pk=session_id, state=Session.State.SCHEDULED).exists()


def _action_still_open(message: OutboxMessage) -> bool:
    action_id = message.dedupe_key.split(":")[1].removeprefix("action")
    return ActionCommitment.objects.filter(pk=action_id, status="open").exists()


def register_send_checks() -> None:
    for kind in SESSION_KINDS:
        register_send_check(f"intervision_{kind}")(_session_still_on)
    register_send_check("intervision_action_checkin")(_action_still_open)
