"""Intervision rows for tests/test_personal_data.py's ``people``: the member has data in every
intervision relation to the user, the other person has some too (so leaks would show)."""

from datetime import UTC, date, datetime, timedelta

from intervision.models import (
    Method,
)
from tests.factories import (
    ActionCommitmentFactory,
    AgreementAcceptanceFactory,
    AttendanceFactory,
    CaseFactory,
    CaseVoteFactory,
    EvaluationFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    LiveItemFactory,
    PresenterCopyFactory,
    SwapRequestFactory,
    UserFactory,
)
from tests.intervision.conftest import ensure_catalogue

START = datetime(2030, 2, 4, 13, 0, tzinfo=UTC)


def plant(member, other) -> dict:
    ensure_catalogue()
    group = IntervisionGroupFactory(name="Intervisie Noord")
    # No memberships: those are the communities' sections. A third person for the swaps, so
    # erasing the member leaves the other person's rows untouched.
    third = UserFactory(email="tess@example.org", display_name="Tess Third")
    isession = IntervisionSessionFactory(
        group=group,
        session__start=START,
        session__end=START + timedelta(hours=2),
        method=Method.objects.get(code="incidentmethode", group=None),
        presenter=member,
        facilitator=member,
        timekeeper=member,
    )
    rows = {"iv_session": isession}
    rows["iv_case"] = CaseFactory(
        group=group,
        isession=isession,
        presenter=member,
        title="Grenzen",
        question="Hoe stel ik grenzen?",
        pitch="Kort.",
        urgency=4,
    )
    rows["iv_theirs_case"] = CaseFactory(
        group=group,
        isession=isession,
        presenter=other,
        title="Otto's casus",
        question="Hoe doe ik dat?",
        pitch="Otto vertelt.",
        urgency=2,
    )
    rows["iv_vote"] = CaseVoteFactory(case=rows["iv_theirs_case"], voter=member, isession=isession)
    rows["iv_attendance"] = AttendanceFactory(isession=isession, user=member)
    AttendanceFactory(isession=isession, user=other, present=False)
    rows["iv_item"] = LiveItemFactory(
        isession=isession, author=member, kind="question", text="Wat deed je?"
    )
    LiveItemFactory(isession=isession, author=other, kind="advice", text="Otto's advies")
    rows["iv_evaluation"] = EvaluationFactory(
        isession=isession, user=member, score=4, tip="Korter", top="Veilig"
    )
    rows["iv_action"] = ActionCommitmentFactory(
        group=group, isession=isession, owner=member, text="Teamoverleg", due_date=date(2030, 3, 1)
    )
    rows["iv_copy"] = PresenterCopyFactory(
        owner=member,
        group_name=group.name,
        session_date=date(2030, 2, 4),
        text="Bel eerder.",
        delete_after=datetime(2030, 3, 6, tzinfo=UTC),
    )
    rows["iv_agreement"] = AgreementAcceptanceFactory(group=group, user=member, version=1)
    rows["iv_swap_asked"] = SwapRequestFactory(
        isession=isession, requested_by=third, asked=member, state="declined"
    )
    rows["iv_swap_mine"] = SwapRequestFactory(isession=isession, requested_by=member, asked=third)
    return rows


def expected_export(mine: dict) -> dict:
    start = START.isoformat()
    return {
        "intervision_cases": [
            {
                "group": "Intervisie Noord",
                "title": "Grenzen",
                "question": "Hoe stel ik grenzen?",
                "pitch": "Kort.",
                "urgency": 4,
                "status": "submitted",
                "submitted_at": mine["iv_case"].submitted_at.isoformat(),
            }
        ],
        "intervision_roles": [
            {
                "group": "Intervisie Noord",
                "start": start,
                "method": "Incident method",
                "roles": ["presenter", "facilitator", "timekeeper"],
            }
        ],
        "intervision_attendance": [{"group": "Intervisie Noord", "start": start, "present": True}],
        "intervision_live_items": [
            {
                "kind": "question",
                "text": "Wat deed je?",
                "keep": "",
                "written_at": mine["iv_item"].created_at.isoformat(),
            }
        ],
        "intervision_votes": [{"session_start": start}],
        "intervision_evaluations": [{"start": start, "score": 4, "tip": "Korter", "top": "Veilig"}],
        "intervision_actions": [
            {
                "group": "Intervisie Noord",
                "text": "Teamoverleg",
                "due_date": "2030-03-01",
                "status": "open",
            }
        ],
        "intervision_private_copies": [
            {
                "group": "Intervisie Noord",
                "session_date": "2030-02-04",
                "text": "Bel eerder.",
                "delete_after": "2030-03-06T00:00:00+00:00",
            }
        ],
        "intervision_agreements": [
            {
                "group": "Intervisie Noord",
                "version": 1,
                "accepted_at": mine["iv_agreement"].accepted_at.isoformat(),
            }
        ],
        "intervision_swaps": [
            {"start": start, "asked_by_me": False, "state": "declined"},
            {"start": start, "asked_by_me": True, "state": "pending"},
        ],
    }


SECTIONS = {
    "intervision_cases",
    "intervision_roles",
    "intervision_attendance",
    "intervision_live_items",
    "intervision_votes",
    "intervision_evaluations",
    "intervision_actions",
    "intervision_private_copies",
    "intervision_agreements",
    "intervision_swaps",
}

RELATIONS = {
    ("intervision.Case", "presenter"),
    ("intervision.IntervisionSession", "presenter"),
    ("intervision.IntervisionSession", "facilitator"),
    ("intervision.IntervisionSession", "timekeeper"),
    ("intervision.Attendance", "user"),
    ("intervision.LiveItem", "author"),
    ("intervision.CaseVote", "voter"),
    ("intervision.Evaluation", "user"),
    ("intervision.ActionCommitment", "owner"),
    ("intervision.PresenterCopy", "owner"),
    ("intervision.AgreementAcceptance", "user"),
    ("intervision.SwapRequest", "requested_by"),
    ("intervision.SwapRequest", "asked"),
}
