"""The outbox: enqueue is idempotent, the sweep claims under a lease, delivery records state."""

import itertools
import smtplib
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import override_settings
from django.utils import timezone

from communities.mail.checks import register_send_check, unregister_send_check
from communities.mail.circuit import outbox_circuit_trip
from communities.mail.models import MailCircuit, OutboxMessage
from communities.mail.services import (
    build_email,
    outbox_claim_due,
    outbox_deliver_batch,
    outbox_deliver_while_due,
    outbox_enqueue,
    outbox_retry,
    retry_delay,
)
from communities.mail.smtp_errors import is_server_trouble
from communities.mail.tasks import outbox_sweep
from tests.factories import OutboxMessageFactory, StaffFactory, UserFactory

State = OutboxMessage.State
pytestmark = pytest.mark.django_db


def test_outbox_enqueue_renders_in_recipient_language():
    dutch = UserFactory(display_name="Anouk", language="nl")
    english = UserFactory(display_name="Pieter", language="en")

    nl = outbox_enqueue(
        dedupe_key="welcome:nl", kind="welcome", template="welcome", recipient=dutch
    )
    en = outbox_enqueue(
        dedupe_key="welcome:en", kind="welcome", template="welcome", recipient=english
    )

    assert nl.subject == "Welkom bij Kennisplein"
    assert nl.body_text.startswith("Hallo Anouk,\n")
    assert '<html lang="nl">' in nl.body_html
    assert en.subject == "Welcome to Kennisplein"
    assert en.body_text.startswith("Hello Pieter,\n")
    assert '<html lang="en">' in en.body_html
    assert "This message was sent by Kennisplein (http://127.0.0.1:8000)." in en.body_text
    assert (nl.state, nl.to_email, nl.language, nl.attempts) == ("pending", dutch.email, "nl", 0)


def test_outbox_enqueue_same_dedupe_key_returns_existing_row():
    user = UserFactory()
    first = outbox_enqueue(
        dedupe_key="welcome:1", kind="welcome", template="welcome", recipient=user
    )
    user.display_name = "Changed"
    second = outbox_enqueue(
        dedupe_key="welcome:1", kind="welcome", template="welcome", recipient=user
    )

    assert second.pk == first.pk
    assert second.body_text == first.body_text
    assert OutboxMessage.objects.count() == 1


def test_outbox_enqueue_message_id_is_unique_and_stable():
    user = UserFactory()
    a = outbox_enqueue(dedupe_key="a", kind="welcome", template="welcome", recipient=user)
    b = outbox_enqueue(dedupe_key="b", kind="welcome", template="welcome", recipient=user)
    assert a.message_id != b.message_id
    assert a.message_id.startswith("<") and a.message_id.endswith(">")
    assert build_email(a).extra_headers["Message-ID"] == a.message_id


def test_outbox_claim_due_claims_only_due_rows_under_one_lease():
    now = timezone.now()
    due = OutboxMessageFactory.create_batch(3, due_at=now - timedelta(minutes=1))
    later = OutboxMessageFactory(due_at=now + timedelta(hours=1))
    sent = OutboxMessageFactory(state=State.SENT, sent_at=now, due_at=now - timedelta(hours=1))

    tokens = outbox_claim_due(now=now)

    assert len(tokens) == 1
    claimed = OutboxMessage.objects.filter(lease_token=uuid.UUID(tokens[0]))
    assert sorted(claimed.values_list("id", flat=True)) == sorted(m.id for m in due)
    assert set(claimed.values_list("state", flat=True)) == {"sending"}
    assert claimed.first().lease_expires_at == now + timedelta(seconds=300)
    later.refresh_from_db()
    sent.refresh_from_db()
    assert (later.state, sent.state) == ("pending", "sent")


def test_outbox_claim_due_second_sweep_claims_nothing_while_lease_holds():
    now = timezone.now()
    OutboxMessageFactory.create_batch(2, due_at=now)
    assert len(outbox_claim_due(now=now)) == 1
    assert outbox_claim_due(now=now + timedelta(seconds=299)) == []


def test_outbox_claim_due_reclaims_expired_lease_with_new_token():
    now = timezone.now()
    message = OutboxMessageFactory(due_at=now)
    [first] = outbox_claim_due(now=now)

    [second] = outbox_claim_due(now=now + timedelta(seconds=301))

    message.refresh_from_db()
    assert second != first
    assert str(message.lease_token) == second
    # The first (crashed or slow) holder can no longer touch the row.
    assert outbox_deliver_batch(lease_token=first).sent == []
    assert len(mail.outbox) == 0


@override_settings(OUTBOX_BATCH_SIZE=2)
def test_outbox_claim_due_splits_into_batches():
    OutboxMessageFactory.create_batch(5, due_at=timezone.now())
    tokens = outbox_claim_due()
    sizes = sorted(
        OutboxMessage.objects.filter(lease_token=t).count() for t in map(uuid.UUID, tokens)
    )
    assert sizes == [1, 2, 2]


def test_outbox_deliver_batch_sends_text_and_html_and_marks_sent():
    user = UserFactory(display_name="Daan", language="nl")
    message = outbox_enqueue(dedupe_key="w", kind="welcome", template="welcome", recipient=user)
    [token] = outbox_claim_due()

    report = outbox_deliver_batch(lease_token=token)

    assert report.sent == [message.id]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [user.email]
    assert sent.subject == "Welkom bij Kennisplein"
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.lease_token) == ("sent", 1, None)
    assert message.sent_at is not None and message.sent_at <= timezone.now()


def test_outbox_deliver_batch_twice_sends_once():
    OutboxMessageFactory(due_at=timezone.now())
    [token] = outbox_claim_due()
    outbox_deliver_batch(lease_token=token)
    again = outbox_deliver_batch(lease_token=token)
    assert again.sent == []
    assert len(mail.outbox) == 1


class FlakyBackend:
    """An e-mail backend whose send raises the configured error."""

    error: Exception | None = None
    opened = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        FlakyBackend.opened += 1

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.error is not None:
            raise FlakyBackend.error
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_backend(settings):
    settings.EMAIL_BACKEND = "tests.communities.mail.test_outbox.FlakyBackend"
    FlakyBackend.error = None
    FlakyBackend.opened = 0
    yield FlakyBackend
    FlakyBackend.error = None


def test_outbox_temporary_error_reschedules_with_backoff(flaky_backend):
    message = OutboxMessageFactory(due_at=timezone.now())
    flaky_backend.error = smtplib.SMTPRecipientsRefused({message.to_email: (451, b"greylisted")})
    [token] = outbox_claim_due()
    before = timezone.now()

    report = outbox_deliver_batch(lease_token=token)

    message.refresh_from_db()
    assert report.retrying == [message.id]
    assert (message.state, message.attempts, message.lease_token) == ("pending", 1, None)
    assert "451" in message.last_error
    assert before + timedelta(seconds=29) < message.due_at < timezone.now() + timedelta(seconds=31)


def test_outbox_permanent_error_marks_failed(flaky_backend):
    message = OutboxMessageFactory(due_at=timezone.now())
    flaky_backend.error = smtplib.SMTPRecipientsRefused({message.to_email: (550, b"no such user")})
    [token] = outbox_claim_due()

    report = outbox_deliver_batch(lease_token=token)

    message.refresh_from_db()
    assert report.failed == [message.id]
    assert (message.state, message.attempts) == ("failed", 1)
    assert "550" in message.last_error


@override_settings(OUTBOX_MAX_ATTEMPTS=3)
def test_outbox_recipient_4xx_fails_only_after_the_window_and_the_attempts(flaky_backend):
    """A 451 for this recipient is the message's own trouble: retried until it has lasted
    48 hours and OUTBOX_MAX_ATTEMPTS tries, then failed."""
    now = timezone.now()
    young = OutboxMessageFactory(due_at=now, attempts=5, first_error_at=now - timedelta(hours=47))
    old = OutboxMessageFactory(due_at=now, attempts=2, first_error_at=now - timedelta(hours=49))
    flaky_backend.error = smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"greylisted")})
    [token] = outbox_claim_due(now=now)

    report = outbox_deliver_batch(lease_token=token)

    young.refresh_from_db()
    old.refresh_from_db()
    assert (report.retrying, report.failed, report.held) == ([young.id], [old.id], [])
    assert (young.state, young.attempts, young.first_error_at) == (
        "pending",
        6,
        now - timedelta(hours=47),
    )
    assert (old.state, old.attempts) == ("failed", 3)
    assert MailCircuit.objects.filter(state="open").count() == 0


def test_outbox_first_recipient_error_is_remembered(flaky_backend):
    message = OutboxMessageFactory(due_at=timezone.now())
    flaky_backend.error = smtplib.SMTPRecipientsRefused({message.to_email: (452, b"full")})
    [token] = outbox_claim_due()
    before = timezone.now()
    outbox_deliver_batch(lease_token=token)
    message.refresh_from_db()
    assert before <= message.first_error_at <= timezone.now()


def test_outbox_lost_connection_holds_the_batch_untouched_and_opens_the_circuit(
    flaky_backend, caplog
):
    now = timezone.now()
    messages = OutboxMessageFactory.create_batch(3, due_at=now - timedelta(minutes=5))
    flaky_backend.error = ConnectionResetError("reset by peer")
    [token] = outbox_claim_due()

    with caplog.at_level("WARNING", logger="communities.mail.services"):
        report = outbox_deliver_batch(lease_token=token)

    assert sorted(report.held) == sorted(m.id for m in messages)
    assert (report.retrying, report.failed) == ([], [])
    rows = OutboxMessage.objects.order_by("id").values_list(
        "state", "attempts", "due_at", "last_error", "lease_token"
    )
    assert list(rows) == [("pending", 0, now - timedelta(minutes=5), "", None)] * 3
    assert flaky_backend.opened == 1
    circuit = MailCircuit.objects.get()
    assert (circuit.state, circuit.probes) == ("open", 0)
    assert circuit.last_error == "ConnectionResetError: reset by peer"
    assert circuit.probe_at - circuit.opened_at == timedelta(seconds=30)
    assert [r.getMessage() for r in caplog.records if "circuit" in r.getMessage()] == [
        "outbox: circuit open, the mail server is not answering (ConnectionResetError: reset "
        f"by peer); mail is held, first probe at {circuit.probe_at.isoformat()}"
    ]


class RefusingBackend(FlakyBackend):
    """Cannot even connect (the server is down)."""

    def open(self):
        FlakyBackend.opened += 1
        raise ConnectionRefusedError(111, "Connection refused")


def test_outbox_circuit_probes_with_one_message_and_backs_off_to_the_cap(settings):
    settings.EMAIL_BACKEND = "tests.communities.mail.test_outbox.RefusingBackend"
    FlakyBackend.opened = 0
    start = timezone.now()
    OutboxMessageFactory.create_batch(120, due_at=start)

    tokens = outbox_claim_due(now=start)  # three batches before the circuit is open
    held = [len(outbox_deliver_batch(lease_token=token).held) for token in tokens]
    assert held == [50, 50, 20]
    assert FlakyBackend.opened == 1  # the later batches did not try the dead server again
    opened = MailCircuit.objects.get()
    assert opened.state == "open"

    probe_times = []
    minute = start
    for _n in range(60):  # an hour of sweeps, one a minute
        minute += timedelta(minutes=1)
        for token in outbox_claim_due(now=minute):
            probe_times.append(minute)
            assert OutboxMessage.objects.filter(lease_token=token).count() == 1
            report = outbox_deliver_batch(lease_token=token)
            assert len(report.held) == 1
    gaps = [(b - a).total_seconds() / 60 for a, b in itertools.pairwise(probe_times)]
    # 30 s, 1, 2, 4, 8 minutes, then the 10-minute cap (probes happen on the next sweep).
    assert gaps == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0]
    assert FlakyBackend.opened == 1 + len(probe_times)
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {("pending", 0)}


def test_outbox_circuit_closes_when_the_probe_is_accepted_and_sweeps_the_rest(
    flaky_backend, caplog
):
    now = timezone.now()
    messages = OutboxMessageFactory.create_batch(3, due_at=now - timedelta(hours=6))
    outbox_circuit_trip(error=ConnectionRefusedError("refused"), now=now - timedelta(hours=6))

    with caplog.at_level("WARNING", logger="communities.mail.services"):
        # The probe time has long passed: the sweep claims one message, the server accepts
        # it, and the send task sweeps again at once, now with the circuit closed.
        assert outbox_sweep.delay().get() == 1

    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.to_email for m in messages)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    circuit = MailCircuit.objects.get()
    assert (circuit.state, circuit.probe_lease) == ("closed", None)
    assert circuit.closed_at >= now
    closing = [r.getMessage() for r in caplog.records if "circuit closed" in r.getMessage()]
    assert len(closing) == 1
    assert closing[0].startswith("outbox: circuit closed, the mail server answers again after 6:")


def test_outbox_batches_claimed_before_the_circuit_opened_do_not_connect(flaky_backend):
    OutboxMessageFactory.create_batch(2, due_at=timezone.now())
    [token] = outbox_claim_due()
    outbox_circuit_trip(error=TimeoutError("timed out"))

    report = outbox_deliver_batch(lease_token=token)

    assert len(report.held) == 2
    assert flaky_backend.opened == 0


@pytest.mark.parametrize(
    ("error", "server_trouble"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPDataError(421, b"closing channel"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (421, b"bye")}), True),
        (smtplib.SMTPSenderRefused(451, b"later", "kennisplein@localhost"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"greylisted")}), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}), False),
        (smtplib.SMTPDataError(552, b"too big"), False),
        (ValueError("bad header"), False),
    ],
)
def test_smtp_errors_server_trouble_is_not_the_message(error, server_trouble):
    assert is_server_trouble(error) is server_trouble
    assert is_server_trouble(error, connecting=True) is True


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (4, 240), (5, 300), (12, 300)]
)
def test_outbox_retry_delay_is_capped_at_300_seconds(attempts, seconds):
    assert retry_delay(attempts) == timedelta(seconds=seconds)


def test_outbox_send_check_skips_unwanted_messages():
    wanted = OutboxMessageFactory(kind="reminder-test", subject="keep", due_at=timezone.now())
    unwanted = OutboxMessageFactory(kind="reminder-test", subject="drop", due_at=timezone.now())
    register_send_check("reminder-test")(lambda message: message.subject == "keep")
    try:
        [token] = outbox_claim_due()
        report = outbox_deliver_batch(lease_token=token)
    finally:
        unregister_send_check("reminder-test")
    assert (report.sent, report.skipped) == ([wanted.id], [unwanted.id])
    unwanted.refresh_from_db()
    assert (unwanted.state, unwanted.skip_reason) == ("skipped", "No longer wanted.")
    assert [m.subject for m in mail.outbox] == ["keep"]


def test_outbox_retry_requeues_failed_messages_only():
    failed = OutboxMessageFactory(state=State.FAILED, attempts=8, last_error="550")
    sent = OutboxMessageFactory(state=State.SENT, sent_at=timezone.now())
    assert outbox_retry(message_ids=[failed.id, sent.id]) == 1
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("pending", 0, "")


def test_outbox_sweep_task_delivers_due_mail_eagerly():

    OutboxMessageFactory.create_batch(2, due_at=timezone.now())
    OutboxMessageFactory(due_at=timezone.now() + timedelta(days=1))
    assert outbox_sweep.delay().get() == 1
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(state="sent").count() == 2


def test_outbox_database_rejects_sent_row_without_sent_at():

    with pytest.raises(IntegrityError):
        OutboxMessageFactory(state=State.SENT, sent_at=None)


def test_outbox_admin_lists_rows_and_resends_failed_ones(client):
    """The outbox kept its admin when it moved to the communities app."""
    staff = StaffFactory(email="beheer@example.org")
    failed = OutboxMessageFactory(subject="Kapot", state=OutboxMessage.State.FAILED, attempts=8)
    client.force_login(staff)

    changelist = client.get("/admin/communities/outboxmessage/")
    resent = client.post(
        "/admin/communities/outboxmessage/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )

    assert changelist.status_code == 200
    assert "Kapot" in changelist.content.decode()
    assert resent.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (OutboxMessage.State.PENDING, 0)


def test_a_send_task_keeps_claiming_due_batches_until_its_budget_is_spent():
    """One send task drains the queue batch by batch (so more workers send more), and stops
    after one batch when its time budget is spent."""
    OutboxMessageFactory.create_batch(5, due_at=timezone.now())
    with override_settings(OUTBOX_BATCH_SIZE=2):
        [first, *_rest] = outbox_claim_due(max_batches=1)
        spent = outbox_deliver_while_due(lease_token=first, budget_seconds=0)
        assert (spent["sent"], spent["batches"]) == (2, 1)
        [second] = outbox_claim_due(max_batches=1)
        drained = outbox_deliver_while_due(lease_token=second, budget_seconds=60)
    assert (drained["sent"], drained["batches"]) == (3, 2)
    assert len(mail.outbox) == 5
    assert OutboxMessage.objects.filter(state="sent").count() == 5
