"""Writes of people from the directory: provisioning, changes, and the lifecycle (deactivation
and deletion run the same withdrawal staff run; reactivation lets the person in again).

The directory never makes anyone staff and never touches a staff account: staff are not
among the people SCIM sees (``scim_people``)."""

import math
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import Organisation, User
from communities.organisation import organisation_settings
from communities.services.accounts import user_deactivate, user_reactivate
from directory.models import DeprovisionHold, DirectoryAccount
from directory.selectors import deprovisioned_since, linked_communities_for, user_group_keys
from directory.services.memberships import memberships_reconcile


@dataclass(frozen=True)
class PersonData:
    """A person as the directory describes them (validated by the SCIM layer)."""

    user_name: str
    email: str
    external_id: str = ""
    display_name: str = ""
    formatted_name: str = ""
    given_name: str = ""
    family_name: str = ""
    language: str = ""
    team: str = ""
    manager: str = ""
    manager_ref: str = ""
    emails: tuple[dict, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class Outcome:
    user: User
    held: bool = False  # a deactivation waits for staff


def _clean(data: PersonData) -> PersonData:
    email = data.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("A person needs a valid e-mail address."), code="email") from error
    if not data.user_name.strip() or len(data.user_name) > 254:
        raise DomainError(_("A person needs a user name of at most 254 characters."), code="name")
    return PersonData(
        user_name=data.user_name.strip(),
        email=email,
        external_id=data.external_id.strip()[:255],
        display_name=data.display_name.strip()[:150],
        formatted_name=data.formatted_name.strip()[:150],
        given_name=data.given_name.strip()[:150],
        family_name=data.family_name.strip()[:150],
        language=data.language.strip()[:100],
        team=data.team.strip()[:150],
        manager=data.manager.strip()[:255],
        manager_ref=data.manager_ref.strip()[:500],
        emails=tuple(data.emails[:10]),
        active=data.active,
    )


def _language(code: str, fallback: str) -> str:
    short = (code or "").replace("_", "-").split("-")[0].lower()
    return short if short in dict(settings.LANGUAGES) else fallback


def _write(user: User, account: DirectoryAccount, data: PersonData, *, new: bool = False) -> None:
    """Store what the directory says; ``new``: ``user`` is not saved yet (one insert, and no
    address to look up)."""
    user.email = data.email
    user.display_name = (
        data.display_name
        or data.formatted_name
        or " ".join(part for part in (data.given_name, data.family_name) if part)
    )
    user.language = _language(data.language, user.language)
    user.team = data.team
    try:
        with transaction.atomic():
            if new:
                user.save()
            else:
                user.save(update_fields=["email", "display_name", "language", "team"])
            account.user = user
            account.user_name = data.user_name
            account.display_name = data.display_name
            account.formatted_name = data.formatted_name
            account.preferred_language = data.language
            account.external_id = data.external_id
            account.given_name = data.given_name
            account.family_name = data.family_name
            account.manager = data.manager
            account.manager_ref = data.manager_ref
            account.emails = list(data.emails)
            account.save()
            if new:
                EmailAddress.objects.create(
                    user=user, email=data.email, primary=True, verified=True
                )
            else:
                _verified_address(user, data.email)
    except IntegrityError as error:
        raise DomainError(
            _("Another person already has this e-mail address or external id."),
            code="uniqueness",
        ) from error


def _verified_address(user: User, email: str) -> None:
    """The directory vouches for the address: it is the person's verified primary one, so
    their first single sign-on login needs no confirmation mail."""
    address = EmailAddress.objects.filter(user=user, primary=True).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    elif address.email.lower() != email or not address.verified:
        address.email, address.verified = email, True
        address.save(update_fields=["email", "verified"])


def _with_address(people: QuerySet[User], email: str) -> QuerySet[User]:
    """People whose address is ``email`` (already lower case), compared as the unique index
    ``user_email_ci_unique`` stores it (``LOWER(email)``), so the lookup uses that index;
    ``email__iexact`` compares ``UPPER`` and reads the whole table for every call."""
    return people.alias(email_lower=Lower("email")).filter(email_lower=email)


def _taken(data: PersonData, user: User | None) -> bool:
    others = _with_address(User.objects.all(), data.email)
    accounts = DirectoryAccount.objects.filter(external_id=data.external_id)
    if user is not None:
        others = others.exclude(pk=user.pk)
        accounts = accounts.exclude(user=user)
    return others.exists() or (bool(data.external_id) and accounts.exists())


@transaction.atomic
def scim_person_create(*, actor: User, data: PersonData) -> Outcome:
    """Provision a person: an account with the directory's name, address, language and
    department, without a password (they sign in with single sign-on). A person the directory
    deleted before comes back (same account, reactivated). An address or external id another
    person has is refused (DomainError ``uniqueness``). Transaction: one. Not idempotent: a
    second call for the same person is refused as taken."""
    data = _clean(data)
    returning = (
        _with_address(User.objects.select_for_update(), data.email)
        .filter(
            is_staff=False,
            is_superuser=False,
            directory_account__deleted_at__isnull=False,
        )
        .first()
    )
    if returning is not None:
        account = returning.directory_account
        account.deleted_at = None
        if _taken(data, returning):
            raise DomainError(_("Another person already has this e-mail address."), "uniqueness")
        _write(returning, account, data)
        return scim_person_update(actor=actor, user=returning, data=data)
    if _taken(data, None):
        raise DomainError(
            _("Another person already has this e-mail address or external id."),
            code="uniqueness",
        )
    organisation = organisation_settings()
    user = User(
        email=data.email,
        language=_language(data.language, organisation.default_language),
        timezone=organisation.default_timezone,
    )
    user.set_unusable_password()
    _write(user, DirectoryAccount(user=user), data, new=True)
    audit_record(
        actor=None, action="directory.person_create", target=user, detail=data.user_name[:100]
    )
    outcome = Outcome(user=user)
    if not data.active:
        outcome = _deactivate(actor=actor, user=user, delete=False)
    return outcome


@transaction.atomic
def scim_person_update(*, actor: User, user: User, data: PersonData) -> Outcome:
    """Replace what the directory says about a person (PUT, or PATCH after it is applied).
    ``active`` false deactivates them as staff would (``user_deactivate``), held for staff when
    too many people left within the hour; true lets a deactivated person in again and gives
    back the memberships their groups grant (not their old answers to sessions). Transaction:
    one, the person's row locked. Idempotent."""
    data = _clean(data)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_staff or user.is_superuser:
        raise DomainError(_("The directory cannot change staff accounts."), code="forbidden")
    account = DirectoryAccount.objects.filter(user=user).first() or DirectoryAccount(user=user)
    if _taken(data, user):
        raise DomainError(
            _("Another person already has this e-mail address or external id."),
            code="uniqueness",
        )
    _write(user, account, data)
    if data.active and not user.is_active:
        user = user_reactivate(actor=actor, user=user)
        audit_record(actor=None, action="person.reactivate", target=user, detail="directory")
        DeprovisionHold.objects.filter(user=user, state=DeprovisionHold.State.PENDING).update(
            state=DeprovisionHold.State.DISCARDED, decided_at=timezone.now()
        )
        memberships_reconcile(
            user=user, communities=linked_communities_for(user_group_keys(user)), actor=None
        )
    elif data.active:
        DeprovisionHold.objects.filter(user=user, state=DeprovisionHold.State.PENDING).update(
            state=DeprovisionHold.State.DISCARDED, decided_at=timezone.now()
        )
    elif user.is_active:
        return _deactivate(actor=actor, user=user, delete=False)
    return Outcome(user=user)


@transaction.atomic
def scim_person_delete(*, actor: User, user: User) -> Outcome:
    """The directory deletes a person: deactivated as staff would (``user_deactivate``) and
    gone from SCIM; the account itself stays (erasing it is the person's or staff's choice).
    Held for staff like any deactivation over the hourly share. Transaction: one.
    Idempotent."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_staff or user.is_superuser:
        raise DomainError(_("The directory cannot change staff accounts."), code="forbidden")
    return _deactivate(actor=actor, user=user, delete=True)


def deprovision_limit(*, people: int) -> int:
    """How many people the directory may deactivate within an hour before staff confirm the
    rest: a share of the active people, at least the set minimum."""
    share = settings.DIRECTORY_DEPROVISION_SHARE
    return max(settings.DIRECTORY_DEPROVISION_MINIMUM, math.floor(people * share))


def lock_deprovisioning() -> None:
    """Deactivations are counted under one lock (the organisation row), so two directory calls
    at once cannot both pass the limit. Held until the caller's transaction ends."""
    Organisation.get_solo()
    list(Organisation.objects.select_for_update().values_list("pk", flat=True))


def _deactivate(*, actor: User, user: User, delete: bool) -> Outcome:
    lock_deprovisioning()
    account = DirectoryAccount.objects.select_for_update().filter(user=user).first()
    if account is None:
        account = DirectoryAccount.objects.create(user=user, user_name=user.email)
    now = timezone.now()
    if not user.is_active:
        if delete and account.deleted_at is None:
            account.deleted_at = now
            account.save(update_fields=["deleted_at", "updated_at"])
        return Outcome(user=user)
    people = User.objects.filter(is_active=True, is_staff=False).count()
    if deprovisioned_since(now - timedelta(hours=1)) >= deprovision_limit(people=people):
        hold, made = DeprovisionHold.objects.get_or_create(
            user=user, state=DeprovisionHold.State.PENDING, defaults={"delete": delete}
        )
        if not made and delete and not hold.delete:
            hold.delete = True
            hold.save(update_fields=["delete"])
        if made:
            audit_record(actor=None, action="directory.hold", target=user, detail="directory")
        return Outcome(user=user, held=True)
    deprovision_run(actor=actor, user=user, account=account, delete=delete)
    return Outcome(user=User.objects.get(pk=user.pk))


def deprovision_run(*, actor: User, user: User, account: DirectoryAccount, delete: bool) -> None:
    """The deactivation itself (``user_deactivate``), recorded as the directory's.
    Transaction: the caller's."""
    user_deactivate(actor=actor, user=user)
    now = timezone.now()
    account.deprovisioned_at = now
    if delete:
        account.deleted_at = now
    account.save(update_fields=["deprovisioned_at", "deleted_at", "updated_at"])
    audit_record(actor=None, action="person.deactivate", target=user, detail="directory")
