"""Writes of people's accounts: profile and language, erasure, and the staff's approvals and
leavers (deactivation, reactivation)."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.errors import DomainError
from communities.extensions import calendar_delivery_changed, withdrawal_preview, withdrawal_run
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import (
    Community,
    Membership,
    MembershipEvent,
    ProfilePhoto,
    User,
)
from communities.permissions import require_staff
from communities.personal_data import ERASURE_QUESTIONS, REGISTRY
from communities.selectors import communities_led_alone, communities_seen_by
from communities.services.memberships import record_membership_event


def user_update_profile(
    *, user: User, display_name: str, language: str, timezone_name: str, team: str
) -> User:
    """Change a person's own profile. Transaction: one UPDATE. Idempotent."""
    user.display_name = display_name.strip()
    user.language = language
    user.timezone = timezone_name
    user.team = team.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "language", "timezone", "team"])
    return user


PHOTO_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_PHOTO_BYTES = 256 * 1024


@transaction.atomic
def profile_photo_set(*, user: User, content: bytes, content_type: str) -> User:
    """Replace the person's photo. Transaction: the photo row and ``user.photo_updated``
    together. Calling it again with the same image changes only the timestamp."""
    if content_type not in PHOTO_CONTENT_TYPES.values() or len(content) > MAX_PHOTO_BYTES:
        raise DomainError(_("The photo must be a PNG, JPEG or WebP image of at most 256 KB."))
    now = timezone.now()
    ProfilePhoto.objects.update_or_create(
        user=user, defaults={"content": content, "content_type": content_type, "updated_at": now}
    )
    user.photo_updated = now
    user.save(update_fields=["photo_updated"])
    return user


@transaction.atomic
def profile_photo_remove(*, user: User) -> User:
    """Remove the person's photo (initials are shown again). Idempotent."""
    ProfilePhoto.objects.filter(user=user).delete()
    if user.photo_updated is not None:
        user.photo_updated = None
        user.save(update_fields=["photo_updated"])
    return user


@transaction.atomic
def calendar_delivery_set(*, user: User, choice: str) -> User:
    """Invitations, the subscription feed only, or both. The layers above act on the change
    (events sends the invitations a calendar lacks when the person goes back to invitations).
    Transaction: one. Idempotent."""
    if choice not in User.CalendarDelivery.values:
        raise ValueError(f"unknown calendar delivery {choice!r}")
    if user.calendar_delivery == choice:
        return user
    user.calendar_delivery = choice
    User.objects.filter(pk=user.pk).update(calendar_delivery=choice)
    calendar_delivery_changed(user)
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language a signed-in person chose in the switcher. Idempotent."""
    if user.is_authenticated and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)


@transaction.atomic
def account_erase(*, user: User, answers: Mapping[str, str] | None = None) -> None:
    """Erase a person's account and everything the registry says goes with it.

    ``answers`` holds the person's choice per erasure question (``ERASURE_QUESTIONS``, e.g.
    what happens to their shared takeaways); a question not answered takes its default, an
    answer that is not one of its choices is refused.

    Refuses (DomainError, nothing changed) while the person is the last coordinator of a
    community: every community keeps at least one, and while they are the last active staff
    member. Erasing an account that is already gone is refused with a clear message too.
    Transaction: one, all or nothing, with the person's row locked.
    """
    if user.pk is None or _lock_person(user) is None:
        raise DomainError(_("This account has already been deleted."), code="already_erased")
    if user.is_staff and user.is_active and _is_last_active_staff(user):
        raise DomainError(
            _("You are the last active staff member: make someone else staff first."),
            code="last_staff",
        )
    orphaned = communities_led_alone(user)
    if orphaned:
        names = ", ".join(community.name for community in orphaned)
        raise DomainError(
            _("Hand over coordination first: you are the only coordinator of %(names)s.")
            % {"names": names},
            code="last_coordinator",
        )
    chosen = {q.name: (answers or {}).get(q.name, q.default) for q in ERASURE_QUESTIONS.values()}
    for question in ERASURE_QUESTIONS.values():
        if chosen[question.name] not in dict(question.choices):
            raise DomainError(_("Choose one of the options."), code="erasure_answer")
    person_withdraw(user=user, actor=user)
    for question in ERASURE_QUESTIONS.values():
        question.apply(user, chosen[question.name])
    for entry in REGISTRY.values():
        if callable(entry.erasure):
            entry.erasure(user)
    user.delete()


def _lock_person(user: User) -> User | None:
    """Lock the active staff rows (in id order), then the person's row; None when the person is
    gone. Every service that could remove the last staff member locks in this order, so two of
    them running at once wait for each other instead of deadlocking."""
    list(
        User.objects.select_for_update()
        .filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return User.objects.select_for_update().filter(pk=user.pk).first()


def _is_last_active_staff(user: User) -> bool:
    """Whether ``user`` is the only active staff member (call under ``_lock_person``)."""
    staff_ids = list(
        User.objects.filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return staff_ids == [user.pk]


def person_withdrawal_preview(*, user: User, viewer: User | None = None) -> list[str]:
    """What deactivating (or erasing) ``user`` does to their memberships, seats, calendar,
    hosting and rotas, in sentences, for the page staff confirm on. With ``viewer``, only the
    communities and sessions that viewer may see are named; the others are counted. Reads
    only."""
    led_alone = communities_led_alone(user)
    ending = [m.community for m in _memberships_to_end(user, led_alone).select_related("community")]
    if viewer is not None:
        seen = communities_seen_by(viewer=viewer, communities=ending)
        ending, hidden = seen.visible, seen.hidden
        seen_led = communities_seen_by(viewer=viewer, communities=led_alone)
        led_named, led_hidden = seen_led.visible, seen_led.hidden
    else:
        hidden, led_named, led_hidden = 0, led_alone, 0
    names = sorted(community.name for community in ending)
    lines = []
    if names or hidden:
        listed = ", ".join(names)
        if hidden:
            others = ngettext(
                "%(count)d other community", "%(count)d other communities", hidden
            ) % {"count": hidden}
            listed = f"{listed}, {others}" if listed else others
        lines.append(_("Their memberships end: %(names)s.") % {"names": listed})
    if led_named or led_hidden:
        listed = ", ".join(community.name for community in led_named)
        if led_hidden:
            others = ngettext(
                "%(count)d other community", "%(count)d other communities", led_hidden
            ) % {"count": led_hidden}
            listed = f"{listed}, {others}" if listed else others
        lines.append(
            _("They stay listed as the coordinator of %(names)s until staff appoint another.")
            % {"names": listed}
        )
    return lines + withdrawal_preview(user, viewer=viewer)


def _memberships_to_end(user: User, led_alone: list[Community]):
    """Every active membership but the lead of a community nobody else leads: that one marks
    the community as needing a coordinator (``communities_needing_a_coordinator``)."""
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).exclude(
        community__in=led_alone
    )


def person_withdraw(*, user: User, actor: User) -> list[str]:
    """Take a person out of everything they take part in: every active membership ends (the
    history says who ended it; the lead of a community they led alone stays until staff hand
    it over), then each layer above withdraws them (``register_withdrawal``:
    seats freed and waitlists promoted, calendar entries cancelled, hosted sessions handed
    over or flagged, intervision rotas). Deactivation and erasure both call it; directory sync
    may too. Transaction: the caller's; call it while the person is still active, so their
    calendar gets its CANCELs. Idempotent. Returns what was done, in sentences."""
    lines = person_withdrawal_preview(user=user)
    kind = MembershipEvent.Kind.LEFT if actor.pk == user.pk else MembershipEvent.Kind.REMOVED
    for membership in _memberships_to_end(user, communities_led_alone(user)).select_for_update():
        membership.state = Membership.State.LEFT
        membership.left_at = timezone.now()
        record_membership_event(membership, kind, actor)
        membership.role = Membership.Role.MEMBER
        membership.save()
    withdrawal_run(user)
    return lines


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> list[Community]:
    """A person leaves the organisation: they can no longer log in, their calendar feed token
    stops working and mail still waiting to be sent to them is skipped. They are withdrawn
    from everything (``person_withdraw``): memberships end, seats are freed, their calendar
    entries are cancelled (those CANCELs are the last mail they get), hosted sessions are
    handed over. Returns the communities they led alone, for staff to hand over. Refuses to
    deactivate the last active staff member. Transaction: one, with the staff rows locked.
    Idempotent: deactivating twice changes nothing more."""

    require_staff(actor)
    user = _lock_person(user)
    if user is None:
        raise DomainError(_("This person no longer exists."), code="not_found")
    led_alone = communities_led_alone(user)
    OutboxMessage.objects.filter(
        Q(recipient=user) | Q(recipient=None, to_email__iexact=user.email),
        state=OutboxMessage.State.PENDING,
    ).update(state=OutboxMessage.State.SKIPPED, updated_at=timezone.now())
    if user.is_active:
        if user.is_staff and _is_last_active_staff(user):
            raise DomainError(
                _("%(name)s is the last active staff member: make someone else staff first.")
                % {"name": user.name},
                code="last_staff",
            )
        person_withdraw(user=user, actor=actor)
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.feed_token_hash = ""
        user.save(update_fields=["is_active", "deactivated_at", "feed_token_hash"])
    return led_alone


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated person in again (their feed needs a new token). Idempotent."""
    require_staff(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


@transaction.atomic
def user_approve(*, actor: User, user: User) -> User:
    """Let a person who signed up in (organisations that approve new accounts) and tell them
    by mail. Transaction: one; the mail is an outbox row in it. Idempotent: the mail's dedupe
    key is per person, approving twice sends one mail."""

    require_staff(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.awaiting_approval:
        return user
    user.awaiting_approval = False
    user.save(update_fields=["awaiting_approval"])
    outbox_enqueue(
        dedupe_key=f"account-approved:{user.pk}",
        kind="account_approved",
        template="account_approved",
        recipient=user,
    )
    return user


def user_decline(*, actor: User, user: User) -> None:
    """Refuse a sign-up that waits for approval: the account and its data are erased.
    Transaction: the erasure's. Refuses people who are already let in (deactivate them)."""
    require_staff(actor)
    if not user.awaiting_approval:
        raise DomainError(
            _("%(email)s is not waiting for approval.") % {"email": user.email},
            code="not_awaiting",
        )
    account_erase(user=user)


def approval_request_notify(*, user: User) -> int:
    """Tell every active staff member that ``user`` waits for approval (after they confirmed
    their address). Transaction: joins the caller's. Idempotent per staff member and person.
    Returns how many messages were enqueued."""

    if not user.awaiting_approval:
        return 0
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
    for member in staff:
        outbox_enqueue(
            dedupe_key=f"approval-request:{user.pk}:{member.pk}",
            kind="approval_request",
            template="approval_request",
            recipient=member,
            context={
                "applicant": user,
                "url": reverse("person_detail", args=[user.pk]),
            },
        )
    return len(staff)
