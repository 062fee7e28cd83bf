"""Helpers shared by the outbox scenarios."""

from collections.abc import Sequence

from django.core import mail
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.rendering import RenderedMessage, render_message
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from communities.models import User


def render_welcome(people: Sequence[User]) -> dict[str, RenderedMessage]:
    """The welcome mail rendered once per language, for rows made without the service."""
    examples = {person.language: person for person in people}
    return {
        language: render_message(
            template="welcome", context={"recipient": person}, language=language
        )
        for language, person in examples.items()
    }


def sweep_until_empty() -> int:
    """Claim and deliver everything due, batch by batch, like repeated beat sweeps; return how
    many batches were delivered."""
    batches = 0
    while True:
        tokens = outbox_claim_due(now=timezone.now())
        if not tokens:
            return batches
        for token in tokens:
            outbox_deliver_batch(lease_token=token)
            batches += 1


def check_all_sent(*, expected: int) -> None:
    """Not a timing assertion: the benchmark is meaningless if the sweep did not send it all."""
    sent = OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count()
    delivered = len(mail.outbox)
    if sent != expected or delivered != expected:
        raise RuntimeError(
            f"sweep sent {sent} rows and delivered {delivered} mails, expected {expected}"
        )


def reset_outbox() -> None:
    OutboxMessage.objects.all().delete()
    mail.outbox = []
