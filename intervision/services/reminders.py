"""Intervision's reminders through the outbox: the call for cases, the case deadline, the
agenda, the takeaway prompt and the action check-in.

Confidentiality: mail carries the group's name, the date and a link only."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from communities.mail.services import outbox_enqueue
from communities.models import Community
from events.models import Session
from intervision.models import (
    ActionCommitment,
)
from intervision.selectors import active_members, candidates_for
from intervision.services.cases import case_select
from intervision.services.scheduling import intervision_for_session

# --- reminders (the outbox) -------------------------------------------------------------------

REMINDER_KINDS = ("call_for_cases", "case_deadline", "agenda", "takeaway", "action_checkin")


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Scan upcoming and recent sessions and put due nudges in the outbox. Mail holds the group's
    name, the date and a link, never case text. Idempotent: dedupe keys
    ``reminder:<session>:<user>:<kind>`` (``action:<id>:checkin`` for action check-ins)."""

    now = now or timezone.now()
    count = 0
    window = (
        Session.objects.filter(
            format=Session.Format.INTERVISION,
            state=Session.State.SCHEDULED,
            community__kind=Community.Kind.INTERVISION_GROUP,
            start__lte=now + timedelta(days=14),
            end__gte=now - timedelta(days=1),
        )
        .select_related("community")
        .order_by("start")
    )
    for session in window:
        isession = intervision_for_session(session=session)
        members = list(active_members(session.community))
        url = reverse("intervision:session", args=[session.pk])
        plan = [
            ("call_for_cases", session.start - timedelta(days=14), None),
            ("case_deadline", session.start - timedelta(days=3), None),
            ("agenda", session.start - timedelta(days=1), None),
            ("takeaway", session.end, None),
        ]
        for kind, due, _only in plan:
            # Nudges before the session stop at its start; the takeaway prompt lasts a day.
            if due > now or (kind != "takeaway" and now >= session.start):
                continue
            if kind == "case_deadline" and isession.cases.exists():
                # One case: selected automatically; several: chosen at the start.

                if candidates_for(isession).count() == 1:
                    case_select(isession=isession, actor=None)
                recipients = []
            elif kind == "case_deadline":
                recipients = [m.user for m in members if m.user_id == isession.presenter_id]
            else:
                recipients = [m.user for m in members]
            for person in recipients:
                outbox_enqueue(
                    dedupe_key=f"reminder:{session.pk}:{person.pk}:{kind}",
                    kind=f"intervision_{kind}",
                    template=f"intervision_{kind}",
                    recipient=person,
                    due_at=due,
                    context={
                        "group": session.community.name,
                        "session": session,
                        "url": url,
                        "is_presenter": person.pk == isession.presenter_id,
                        "method": isession.method,
                    },
                )
                count += 1
    checkins = ActionCommitment.objects.filter(
        status=ActionCommitment.Status.OPEN, created_at__lte=now - timedelta(weeks=3)
    ).select_related("owner", "group")
    for action in checkins:
        outbox_enqueue(
            dedupe_key=f"reminder:action{action.pk}:{action.owner_id}:action_checkin",
            kind="intervision_action_checkin",
            template="intervision_action_checkin",
            recipient=action.owner,
            due_at=action.created_at + timedelta(weeks=3),
            context={
                "group": action.group.name,
                "url": reverse("intervision:group", args=[action.group.slug]),
            },
        )
        count += 1
    return count
