"""Every model of the intervision app; callers import from ``intervision.models``."""

from intervision.models.groups import AgreementAcceptance, GroupSettings
from intervision.models.keys import ContentKey
from intervision.models.methods import (
    GroupMode,
    Method,
    Phase,
    PresenterState,
    Produces,
    SelectionMode,
    TurnTaking,
)
from intervision.models.sessions import (
    ActionCommitment,
    Attendance,
    Case,
    CaseVote,
    Evaluation,
    IntervisionSession,
    LiveItem,
    PhaseRun,
    PresenterCopy,
    SwapRequest,
)

__all__ = [
    "ActionCommitment",
    "AgreementAcceptance",
    "Attendance",
    "Case",
    "CaseVote",
    "ContentKey",
    "Evaluation",
    "GroupMode",
    "GroupSettings",
    "IntervisionSession",
    "LiveItem",
    "Method",
    "Phase",
    "PhaseRun",
    "PresenterCopy",
    "PresenterState",
    "Produces",
    "SelectionMode",
    "SwapRequest",
    "TurnTaking",
]
