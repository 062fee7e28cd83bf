"""The intervision app's part of "download my data" and erasure (see communities.personal_data).

Erasure: a person's cases, live items, votes, evaluations, attendance, agreement acceptances,
swap requests, commitments and private copies go with them (cascade); sessions they presented,
facilitated or timed stay for the group with the role emptied (set_null).
"""

from django.db.models import Q

from communities.models import User
from communities.personal_data import iso, register
from intervision import models as m
from intervision.models import (
    ActionCommitment,
    AgreementAcceptance,
    Attendance,
    Case,
    CaseVote,
    Evaluation,
    IntervisionSession,
    LiveItem,
    PresenterCopy,
    SwapRequest,
)
from intervision.services.keys import content_keys_shred


def _export_cases(user: User) -> list[dict]:
    return [
        {
            "group": c.group.name,
            "title": c.title,
            "question": c.question,
            "pitch": c.pitch,
            "urgency": c.urgency,
            "status": c.status,
            "submitted_at": iso(c.submitted_at),
        }
        for c in Case.objects.filter(presenter=user).select_related("group").order_by("id")
    ]


def _export_roles(user: User) -> list[dict]:
    rows = []
    sessions = IntervisionSession.objects.filter(
        Q(presenter=user) | Q(facilitator=user) | Q(timekeeper=user)
    ).select_related("session", "group", "method")
    for s in sessions.order_by("session__start", "id"):
        roles = [
            role
            for role, holder in (
                ("presenter", s.presenter_id),
                ("facilitator", s.facilitator_id),
                ("timekeeper", s.timekeeper_id),
            )
            if holder == user.pk
        ]
        rows.append(
            {
                "group": s.group.name,
                "start": iso(s.session.start),
                "method": s.method.name_en,
                "roles": roles,
            }
        )
    return rows


def _export_attendance(user: User) -> list[dict]:
    return [
        {
            "group": a.isession.group.name,
            "start": iso(a.isession.session.start),
            "present": a.present,
        }
        for a in Attendance.objects.filter(user=user)
        .select_related("isession__group", "isession__session")
        .order_by("id")
    ]


def _export_items(user: User) -> list[dict]:
    return [
        {"kind": i.kind, "text": i.text, "keep": i.keep, "written_at": iso(i.created_at)}
        for i in LiveItem.objects.filter(author=user).order_by("id")
    ]


def _export_votes(user: User) -> list[dict]:
    return [
        {"session_start": iso(v.isession.session.start)}
        for v in CaseVote.objects.filter(voter=user).select_related("isession__session")
    ]


def _export_evaluations(user: User) -> list[dict]:
    return [
        {
            "start": iso(e.isession.session.start),
            "score": e.score,
            "tip": e.tip,
            "top": e.top,
        }
        for e in Evaluation.objects.filter(user=user).select_related("isession__session")
    ]


def _export_actions(user: User) -> list[dict]:
    return [
        {
            "group": a.group.name,
            "text": a.text,
            "due_date": a.due_date.isoformat(),
            "status": a.status,
        }
        for a in ActionCommitment.objects.filter(owner=user).select_related("group").order_by("id")
    ]


def _export_copies(user: User) -> list[dict]:
    return [
        {
            "group": c.group_name,
            "session_date": c.session_date.isoformat(),
            "text": c.text,
            "delete_after": iso(c.delete_after),
        }
        for c in PresenterCopy.objects.filter(owner=user).order_by("id")
    ]


def _export_agreements(user: User) -> list[dict]:
    return [
        {"group": a.group.name, "version": a.version, "accepted_at": iso(a.accepted_at)}
        for a in AgreementAcceptance.objects.filter(user=user).select_related("group")
    ]


def _export_swaps(user: User) -> list[dict]:
    return [
        {
            "start": iso(s.isession.session.start),
            "asked_by_me": s.requested_by_id == user.pk,
            "state": s.state,
        }
        for s in SwapRequest.objects.filter(Q(requested_by=user) | Q(asked=user))
        .select_related("isession__session")
        .order_by("id")
    ]


def _erase_cases(user: User) -> None:
    """The person's cases go, and with them the keys their text was sealed under."""
    cases = Case.objects.filter(presenter=user)
    key_ids = list(cases.values_list("content_key_id", flat=True))
    cases.delete()
    content_keys_shred(key_ids=key_ids)


def register_intervision() -> None:
    register(
        section="intervision_cases",
        model=m.Case,
        user_fields=("presenter",),
        export=_export_cases,
        erasure=_erase_cases,
    )
    register(
        section="intervision_roles",
        model=m.IntervisionSession,
        user_fields=("presenter", "facilitator", "timekeeper"),
        export=_export_roles,
        erasure="set_null",
    )
    register(
        section="intervision_attendance",
        model=m.Attendance,
        user_fields=("user",),
        export=_export_attendance,
        erasure="cascade",
    )
    register(
        section="intervision_live_items",
        model=m.LiveItem,
        user_fields=("author",),
        export=_export_items,
        erasure="cascade",
    )
    register(
        section="intervision_votes",
        model=m.CaseVote,
        user_fields=("voter",),
        export=_export_votes,
        erasure="cascade",
    )
    register(
        section="intervision_evaluations",
        model=m.Evaluation,
        user_fields=("user",),
        export=_export_evaluations,
        erasure="cascade",
    )
    register(
        section="intervision_actions",
        model=m.ActionCommitment,
        user_fields=("owner",),
        export=_export_actions,
        erasure="cascade",
    )
    register(
        section="intervision_private_copies",
        model=m.PresenterCopy,
        user_fields=("owner",),
        export=_export_copies,
        erasure="cascade",
    )
    register(
        section="intervision_agreements",
        model=m.AgreementAcceptance,
        user_fields=("user",),
        export=_export_agreements,
        erasure="cascade",
    )
    register(
        section="intervision_swaps",
        model=m.SwapRequest,
        user_fields=("requested_by", "asked"),
        export=_export_swaps,
        erasure="cascade",
    )
