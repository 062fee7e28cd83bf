"""Scheduling intervision: one-off sessions and series with a method and roles, the intervision
side of every occurrence, and the rota's swaps."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.errors import DomainError
from communities.models import Community, Membership, User
from events.models import Series, Session
from events.series.recurrence import Recurrence
from events.series.services.scheduling import series_create
from events.sessions.services.scheduling import session_create
from intervision.models import (
    IntervisionSession,
    Method,
    SwapRequest,
)
from intervision.permissions import is_member, require_lead
from intervision.rota import rota_order
from intervision.selectors import (
    active_members,
    declined_for,
    methods_for,
    next_facilitator,
    rota_members,
)
from intervision.services.groups import group_settings_row


def _default_method(group: Community) -> Method:
    settings = group_settings_row(group=group)
    return settings.default_method or Method.objects.get(code="kollegiale-beratung", group=None)


def intervision_for_session(*, session: Session) -> IntervisionSession:
    """The intervision side of a session: the one it has, or a new one with the group's default
    method, the rota's presenter and the default facilitator. Transaction: its own savepoint
    (or the caller's). Idempotent: one side per session (database)."""
    existing = IntervisionSession.objects.filter(session=session).select_related(
        "method", "presenter", "facilitator", "timekeeper", "group", "session"
    )
    found = existing.first()
    if found is not None:
        return found
    group = session.community
    with transaction.atomic():
        isession, _created = IntervisionSession.objects.get_or_create(
            session=session,
            defaults={
                "group": group,
                "method": _default_method(group),
                "presenter_id": _rota_presenter(group, session),
                "facilitator_id": _default_facilitator(group, session),
            },
        )
    return existing.get(pk=isession.pk)


def _rota_presenter(group: Community, session: Session) -> int | None:
    order = rota_order(rota_members(group), unavailable=declined_for(session))
    return order[0] if order else None


def _default_facilitator(group: Community, session: Session) -> int | None:
    if group_settings_row(group=group).rotate_facilitator:
        presenter = _rota_presenter(group, session)
        return next_facilitator(group, exclude=declined_for(session) | {presenter})
    lead = (
        active_members(group)
        .filter(role__in=[Membership.Role.FACILITATOR, Membership.Role.COORDINATOR])
        .first()
    )
    return lead.user_id if lead else None


@transaction.atomic
def intervision_schedule(
    *,
    group: Community,
    actor: User,
    details,
    method_id: int,
    facilitator_id: int | None = None,
    timekeeper_id: int | None = None,
    presenter_id: int | None = None,
) -> IntervisionSession:
    """Schedule a one-off intervision session (an events.Session of format intervision) with
    its method and roles; the presenter defaults to the rota's proposal. Transaction: one.
    Not idempotent (each call schedules a session)."""

    require_lead(actor, group)
    method = methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise DomainError(_("Choose one of the methods."), code="method")
    members = set(active_members(group).values_list("user_id", flat=True))
    for person in (facilitator_id, timekeeper_id, presenter_id):
        if person is not None and person not in members:
            raise DomainError(_("Roles go to members of the group."), code="role")
    if presenter_id is not None and presenter_id in (facilitator_id, timekeeper_id):
        raise DomainError(_("The presenter cannot also facilitate or keep time."), code="role")
    session = session_create(community=group, actor=actor, details=details)
    isession = IntervisionSession.objects.create(
        session=session,
        group=group,
        method=method,
        presenter_id=presenter_id or _rota_presenter(group, session),
        facilitator_id=facilitator_id or _default_facilitator(group, session),
        timekeeper_id=timekeeper_id,
    )
    return isession


def intervision_sides_for_occurrences(series: Series, occurrences: list[Session]) -> None:
    """New occurrences of an intervision group's series get their intervision side, in start
    order, so the rota hands out presenters in turn. Registered with ``events.series.extensions``
    (scheduling and the hourly extension both materialise occurrences). Transaction: the
    caller's. Idempotent."""
    group = series.community
    if not group.is_intervision or series.format != Session.Format.INTERVISION:
        return
    for occurrence in occurrences:
        intervision_for_session(session=occurrence)


def intervision_sides_complete(*, now: datetime | None = None) -> int:
    """Give every upcoming intervision session of a group that lacks one its intervision side
    (sessions made before sides were made with their occurrences). Beat: with the sweep.
    Transaction: one savepoint per side. Idempotent. Returns how many were made."""
    now = now or timezone.now()
    lacking = (
        Session.objects.filter(
            format=Session.Format.INTERVISION,
            community__kind=Community.Kind.INTERVISION_GROUP,
            end__gte=now,
            intervision__isnull=True,
        )
        .exclude(state=Session.State.CANCELLED)
        .select_related("community")
        .order_by("start")
    )
    made = 0
    for session in lacking:
        intervision_for_session(session=session)
        made += 1
    return made


@transaction.atomic
def intervision_schedule_series(
    *,
    group: Community,
    actor: User,
    details,
    method_id: int,
    every_weeks: int,
    count: int,
    facilitator_id: int | None = None,
    timekeeper_id: int | None = None,
) -> list[IntervisionSession]:
    """Schedule a series (every N weeks, ``count`` times) as an events.Series; each occurrence
    gets the method and roles, and its presenter from the rota in turn (its side is made as it
    is materialised, see ``intervision_sides_for_occurrences``). Transaction: one. Not
    idempotent (each call makes a new series)."""

    require_lead(actor, group)
    method = methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise DomainError(_("Choose one of the methods."), code="method")
    if not 2 <= count <= 12:
        raise DomainError(_("A series has 2 to 12 sessions."), code="count")
    members = set(active_members(group).values_list("user_id", flat=True))
    if any(p is not None and p not in members for p in (facilitator_id, timekeeper_id)):
        raise DomainError(_("Roles go to members of the group."), code="role")
    series = series_create(
        community=group,
        actor=actor,
        details=details,
        recurrence=Recurrence(frequency="weekly", interval=every_weeks, count=count),
    )
    sides = list(
        IntervisionSession.objects.filter(session__series=series)
        .select_related("session", "presenter", "facilitator", "timekeeper")
        .order_by("session__start")
    )
    for side in sides:
        side.method = method
        side.facilitator_id = facilitator_id or side.facilitator_id
        side.timekeeper_id = timekeeper_id
        side.save(update_fields=["method", "facilitator", "timekeeper"])
    return sides


@transaction.atomic
def swap_request(*, isession: IntervisionSession, actor: User, asked_id: int) -> SwapRequest:
    """The proposed presenter asks another member to present instead. Transaction: one.
    Idempotent for the same person asked; one open request per session (database)."""
    isession = IntervisionSession.objects.select_for_update().get(pk=isession.pk)
    if isession.state != IntervisionSession.State.SCHEDULED:
        raise DomainError(_("The session has started: swaps are closed."), code="started")
    if isession.presenter_id != actor.pk:
        raise DomainError(_("Only the proposed presenter can ask for a swap."), code="forbidden")
    if asked_id == actor.pk or not is_member(User(pk=asked_id), isession.group):
        raise DomainError(_("Ask another member of the group."), code="asked")
    pending = SwapRequest.objects.filter(isession=isession, state=SwapRequest.State.PENDING).first()
    if pending is not None:
        if pending.asked_id == asked_id:
            return pending
        raise DomainError(_("There is already an open swap request."), code="pending")
    return SwapRequest.objects.create(isession=isession, requested_by=actor, asked_id=asked_id)


@transaction.atomic
def swap_answer(*, swap_id: int, actor: User, accept: bool) -> SwapRequest:
    """The member asked accepts (and becomes the presenter) or declines. Transaction: one, with
    the session locked. Idempotent: answering again changes nothing."""
    swap = SwapRequest.objects.select_for_update().filter(pk=swap_id, asked=actor).first()
    if swap is None:
        raise DomainError(_("This swap request does not exist."), code="not_found")
    if swap.state != SwapRequest.State.PENDING:
        return swap
    isession = IntervisionSession.objects.select_for_update().get(pk=swap.isession_id)
    if accept and (
        isession.state != IntervisionSession.State.SCHEDULED
        or isession.presenter_id != swap.requested_by_id
    ):
        raise DomainError(_("This swap is no longer possible."), code="stale")
    swap.state = SwapRequest.State.ACCEPTED if accept else SwapRequest.State.DECLINED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["state", "answered_at"])
    if accept:
        isession.presenter = actor
        isession.save(update_fields=["presenter"])
    return swap


def _roles_held(user: User, now: datetime):
    return IntervisionSession.objects.filter(
        Q(facilitator=user) | Q(timekeeper=user) | Q(presenter=user),
        state=IntervisionSession.State.SCHEDULED,
        session__start__gt=now,
    ).select_related("group", "session")


def intervision_withdrawal_preview(
    user: User, *, viewer: User | None = None, now: datetime | None = None
) -> list[str]:
    """What ``intervision_withdraw`` would do, in sentences (the staff's confirmation page)."""
    count = _roles_held(user, now or timezone.now()).count()
    if not count:
        return []
    return [
        ngettext(
            "They leave the rota: %(count)d upcoming intervision session gets another"
            " presenter, facilitator or timekeeper.",
            "They leave the rota: %(count)d upcoming intervision sessions get another"
            " presenter, facilitator or timekeeper.",
            count,
        )
        % {"count": count}
    ]


def intervision_withdraw(user: User, *, now: datetime | None = None) -> list[str]:
    """Take a person out of the rotas (deactivation, erasure): in every upcoming intervision
    session they present, facilitate or keep time, the rota picks again among the members left
    (their memberships have ended already); their pending swaps are declined. Transaction: the
    caller's. Idempotent."""
    now = now or timezone.now()
    lines = intervision_withdrawal_preview(user, now=now)
    for isession in list(_roles_held(user, now)):
        if isession.presenter_id == user.pk:
            isession.presenter_id = _rota_presenter(isession.group, isession.session)
        if isession.facilitator_id == user.pk:
            isession.facilitator_id = _default_facilitator(isession.group, isession.session)
        if isession.timekeeper_id == user.pk:
            isession.timekeeper_id = None
        isession.save(update_fields=["presenter", "facilitator", "timekeeper"])
    SwapRequest.objects.filter(
        Q(requested_by=user) | Q(asked=user), state=SwapRequest.State.PENDING
    ).update(state=SwapRequest.State.DECLINED, answered_at=now)
    return lines
