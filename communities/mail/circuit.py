"""The mail circuit breaker: open while the mail server does not answer, closed once it accepts
a message again. The outbox (communities/mail/services.py) holds mail while it is open and
probes with one message at a growing interval (``circuit_backoff``)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communities.mail.models import MailCircuit
from communities.mail.smtp_errors import describe

logger = logging.getLogger("communities.mail.services")
CircuitState = MailCircuit.State


def circuit_backoff(probes: int) -> timedelta:
    """Time until the next probe: 30 s after the circuit opened, doubling with every failed
    probe, capped at OUTBOX_CIRCUIT_BACKOFF_MAX."""
    seconds = min(settings.OUTBOX_CIRCUIT_BACKOFF_MAX, 30 * 2**probes)
    return timedelta(seconds=seconds)


def circuit_for_update() -> MailCircuit:
    """The circuit row, locked until the caller's transaction ends (made on first use)."""
    circuit, _created = MailCircuit.objects.select_for_update().get_or_create(
        pk=MailCircuit.SINGLETON
    )
    return circuit


def outbox_circuit_trip(*, error: BaseException, now: datetime | None = None) -> MailCircuit:
    """Record that the mail server is not answering: open the circuit (logged once, at
    opening) or, when it is open already, keep the latest error.

    Transaction: one, holding the circuit row's lock. Idempotent: a second trip while open
    changes only ``last_error``; the probe schedule is set when a probe is claimed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        circuit = circuit_for_update()
        circuit.last_error = describe(error)
        if circuit.state == CircuitState.OPEN:
            circuit.save(update_fields=["last_error", "updated_at"])
            return circuit
        circuit.state = CircuitState.OPEN
        circuit.opened_at = now
        circuit.probes = 0
        circuit.probe_lease = None
        circuit.probe_at = now + circuit_backoff(0)
        circuit.save()
    logger.warning(
        "outbox: circuit open, the mail server is not answering (%s); mail is held, first "
        "probe at %s",
        circuit.last_error,
        circuit.probe_at.isoformat(),
    )
    return circuit


def outbox_circuit_close(*, now: datetime | None = None) -> bool:
    """The mail server accepted a message: close the circuit if it was open (logged).

    Transaction: one, holding the circuit row's lock. Idempotent: returns False and changes
    nothing when the circuit is closed already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        circuit = (
            MailCircuit.objects.select_for_update()
            .filter(pk=MailCircuit.SINGLETON, state=CircuitState.OPEN)
            .first()
        )
        if circuit is None:
            return False
        opened_at = circuit.opened_at
        circuit.state = CircuitState.CLOSED
        circuit.closed_at = now
        circuit.probe_lease = None
        circuit.save(update_fields=["state", "closed_at", "probe_lease", "updated_at"])
    logger.warning(
        "outbox: circuit closed, the mail server answers again after %s (%s probes)",
        now - opened_at,
        circuit.probes,
    )
    return True
