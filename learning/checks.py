"""Send checks of this app's mail, asked right before sending (communities.mail.checks)."""

from communities.mail.checks import register_send_check
from communities.mail.models import OutboxMessage
from learning.models import Journey, JourneyStepProgress, Pair, PairingOptIn


def _step_still_open(message: OutboxMessage) -> bool:
    # dedupe key: journey_step:<progress>:<user>
    progress_id = message.dedupe_key.split(":")[1]
    return JourneyStepProgress.objects.filter(
        pk=progress_id, done_at__isnull=True, journey__state=Journey.State.ACTIVE
    ).exists()


def _still_taking_part(message: OutboxMessage) -> bool:
    # dedupe key: pairing:<pair>:<user>; a person who left the programme since gets nothing.
    pair_id = message.dedupe_key.split(":")[1]
    pair = Pair.objects.filter(pk=pair_id).select_related("round").first()
    return (
        pair is not None
        and PairingOptIn.objects.filter(
            programme_id=pair.round.programme_id, user_id=message.recipient_id
        ).exists()
    )


def register_send_checks() -> None:
    register_send_check("journey_step_due")(_step_still_open)
    register_send_check("pairing_introduction")(_still_taking_part)
