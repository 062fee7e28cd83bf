"""Update coalescing: five edits of a session within one minute, attendees with invitations.

The figure is the update mails per attendee the outbox sends, with coalescing (updates wait two
quiet minutes and a newer one replaces the one waiting) against the same edits with the window
set to zero (every edit mailed at once, as before). Time is simulated (time-machine): the sweep
runs every minute, as beat does; nothing sleeps. Also reported: how long after the last edit the
final state reached the attendees (the longest a calendar shows a stale time)."""

import random
from datetime import UTC, datetime, timedelta

import time_machine
from django.core import mail

from bench.generators import make_people
from bench.measure import Context, Figure
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from communities.models import Community, Membership
from events.calendar.services import invitation_mail
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_create, session_update

ATTENDEES_PER_SCALE = 20
EDITS = 5
START = datetime(2031, 3, 4, 11, 0, tzinfo=UTC)
T0 = datetime(2031, 2, 1, 9, 0, tzinfo=UTC)


def _details(n: int) -> SessionDetails:
    return SessionDetails(title="Coalescing", format="brown_bag", start=START,
                          end=START + timedelta(hours=1), timezone="Europe/Amsterdam",
                          location=f"Room {n}", capacity=None)  # fmt: skip


def _sweep(at: datetime) -> int:
    mail.outbox = getattr(mail, "outbox", [])
    before = len(mail.outbox)
    for token in outbox_claim_due(now=at):
        outbox_deliver_batch(lease_token=token)
    return len(mail.outbox) - before


def measure(*, people, window: timedelta, label: str) -> dict:
    """Edits at 0, 12, 24, 36, 48 s; a sweep every minute for ten minutes."""
    invitation_mail.UPDATE_COALESCE = window
    community = Community.objects.create(kind=Community.Kind.COMMUNITY_OF_PRACTICE, name=f"Bench coalescing {label}",
                                         slug=f"bench-coalescing-{label}")  # fmt: skip
    coordinator, *attendees = people
    for member in people:
        Membership.objects.create(user=member, community=community, joined_at=T0,
                                  role="coordinator" if member is coordinator else "member")  # fmt: skip
    with time_machine.travel(T0, tick=False) as clock:
        session = session_create(community=community, actor=coordinator, details=_details(0))
        for attendee in attendees:
            rsvp_set(session_id=session.pk, user=attendee, status="going")
        _sweep(T0)
        mail.outbox = []
        for n in range(EDITS):
            clock.move_to(T0 + timedelta(seconds=12 * n))
            session_update(session_id=session.pk, actor=coordinator, details=_details(n + 1))
        last_edit = T0 + timedelta(seconds=12 * (EDITS - 1))
        final_at = None
        for minute in range(1, 11):
            at = T0 + timedelta(minutes=minute)
            clock.move_to(at)
            _sweep(at)
            finals = [m for m in mail.outbox if f"Room {EDITS}" in m.alternatives[-1].content]
            if final_at is None and len(finals) == len(attendees):
                final_at = at
    updates = len(mail.outbox)
    final_ok = all(
        OutboxMessage.objects.filter(recipient=a, calendar_method="REQUEST", state="sent")
        .order_by("-id").first().calendar.count(f"Room {EDITS}") == 1
        for a in attendees
    )  # fmt: skip
    return {
        "per_attendee": updates / len(attendees),
        "stale_seconds": (final_at - last_edit).total_seconds() if final_at else float("nan"),
        "correct": final_ok,
    }


def run(context: Context) -> list[Figure]:
    count = ATTENDEES_PER_SCALE * context.scale
    people = make_people(count + 1, rng=random.Random(context.seed),
                         prefix="coalescing")  # fmt: skip
    original = invitation_mail.UPDATE_COALESCE
    try:
        coalesced = measure(people=people, window=original, label="on")
        OutboxMessage.objects.all().delete()
        immediate = measure(people=people, window=timedelta(0), label="off")
    finally:
        invitation_mail.UPDATE_COALESCE = original
        OutboxMessage.objects.all().delete()
    context.log(f"coalescing: {count} attendees, {EDITS} edits in one minute: "
                f"{coalesced['per_attendee']:.2f} vs {immediate['per_attendee']:.2f} updates each")  # fmt: skip
    details = {"attendees": count, "edits": EDITS, "correct": coalesced["correct"]}
    return [
        Figure(
            "coalescing.updates_per_attendee",
            coalesced["per_attendee"],
            immediate["per_attendee"],
            "mails",
            note=f"{EDITS} edits in 1 min, 2-min window vs none",
            details=details,
        ),
        Figure(
            "coalescing.stale_seconds",
            coalesced["stale_seconds"],
            immediate["stale_seconds"],
            "s",
            note="last edit → final state delivered (sweep every minute)",
            details=details,
        ),
    ]
