"""manage.py outbox_status: how the outbox is doing."""

from django.core.management.base import BaseCommand

from communities.mail.selectors import (
    mail_circuit,
    outbox_counts,
    outbox_failed,
    outbox_skip_reasons,
    outbox_summary,
)


class Command(BaseCommand):
    help = (
        "Show the outbox: the mail server's circuit, totals by state, what is due and how late, "
        "expired leases, per kind per day, why rows were skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Days of per-kind counts.")
        parser.add_argument("--failed", type=int, default=10, help="Failed rows to list.")

    def handle(self, *args, days: int, failed: int, **options):
        summary = outbox_summary()
        circuit = mail_circuit()
        if circuit.state == circuit.State.OPEN:
            self.stdout.write(
                f"mail server: NOT ANSWERING since {circuit.opened_at.isoformat()} "
                f"(circuit open, {circuit.probes} probes, next {circuit.probe_at.isoformat()}): "
                f"{circuit.last_error}"
            )
        else:
            self.stdout.write("mail server: answering (circuit closed)")
        oldest = summary["oldest_due"].isoformat() if summary["oldest_due"] else "-"
        lag = int(summary["lag"].total_seconds()) if summary["lag"] else 0
        self.stdout.write(
            "pending {pending}  sending {sending}  sent {sent}  failed {failed}  "
            "skipped {skipped}".format(**summary)
        )
        self.stdout.write(
            f"due now {summary['due']} (oldest {oldest}, lag {lag}s)  expired leases "
            f"{summary['expired_leases']}"
        )
        self.stdout.write("")
        self.stdout.write(
            f"{'day':<10} {'kind':<20} {'pending':>7} {'sending':>7} {'sent':>7} "
            f"{'failed':>7} {'skipped':>7}"
        )
        for row in outbox_counts(days=days):
            self.stdout.write(
                f"{row.day.isoformat():<10} {row.kind:<20} {row.pending:>7} {row.sending:>7} "
                f"{row.sent:>7} {row.failed:>7} {row.skipped:>7}"
            )
        reasons = outbox_skip_reasons(days=days)
        if reasons:
            self.stdout.write("")
            self.stdout.write("skipped:")
            for row in reasons:
                self.stdout.write(f"  {row.kind} {row.count}x: {row.reason or '-'}")
        rows = outbox_failed(limit=failed)
        if rows:
            self.stdout.write("")
            self.stdout.write("failed:")
            for message in rows:
                self.stdout.write(
                    f"  #{message.pk} {message.kind} {message.attempts}x: {message.last_error}"
                )
