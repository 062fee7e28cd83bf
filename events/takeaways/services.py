"""Takeaways: capture, edit, review (reconfirm, update, supersede, archive), hide, helpful marks,
the review nudge, and the opt-in for recognition.

Every function is keyword-only; domain errors carry a translated message and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import changed
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from communities.organisation import organisation_settings
from communities.permissions import can_look_after
from events.models import Takeaway, TakeawayHelpful, TakeawayReview, TakeawayTag
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.rsvp import SessionNotFound
from events.takeaways.permissions import default_visibility, may_write_takeaway, private_group
from events.takeaways.rules import BODY_MAX, TIP_REVIEW_MONTHS, TITLE_MAX, add_months, parse_tags
from events.takeaways.selectors.freshness import due_for_nudge
from events.takeaways.selectors.reading import takeaway_for_lead, takeaways_visible_to


class TakeawayNotFound(DomainError):
    """The takeaway does not exist for this person (views answer 404)."""


def review_months(kind: str) -> int:
    """Technical tips go stale sooner (6 months); other learnings follow the organisation's
    setting (12 months unless staff changed it)."""
    if kind == Takeaway.Kind.TIP:
        return TIP_REVIEW_MONTHS

    return organisation_settings().takeaway_review_months


def next_review(kind: str, *, today: date | None = None) -> date:
    return add_months(today or timezone.localdate(), review_months(kind))


def _normal_visibility(visibility: str, community: Community | None) -> str:
    if visibility not in Takeaway.Visibility.values:
        raise DomainError(_("Choose who may read it."), code="visibility")
    if visibility == Takeaway.Visibility.COMMUNITY and community is None:
        return Takeaway.Visibility.ORGANISATION
    if visibility == Takeaway.Visibility.ORGANISATION and private_group(community):
        return Takeaway.Visibility.COMMUNITY
    return visibility


def tags_from_names(names: list[str]) -> list[TakeawayTag]:
    tags = []
    for name in names:
        slug = slugify(name)[:50]
        tag = TakeawayTag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = TakeawayTag.objects.create(name=name, slug=slug)
            except IntegrityError:  # made at the same moment by someone else
                tag = TakeawayTag.objects.get(slug=slug)
        tags.append(tag)
    return tags


@dataclass(frozen=True)
class TakeawayText:
    """What a person writes; checked by ``_checked``."""

    title: str
    body: str = ""
    kind: str = Takeaway.Kind.LEARNING
    tags: str | list[str] = ""
    who_benefits: str = ""
    action: str = ""
    action_due: date | None = None


def _checked(text: TakeawayText) -> tuple[TakeawayText, list[str]]:
    title = (text.title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Give a title of at most 80 characters."), code="title")
    body = text.body or ""
    if len(body) > BODY_MAX:
        raise DomainError(_("Keep it under 1,000 characters."), code="body")
    if text.kind not in Takeaway.Kind.values:
        raise DomainError(_("Choose what kind of takeaway it is."), code="kind")
    if len(text.who_benefits or "") > 200:
        raise DomainError(_("Keep “who else would benefit” under 200 characters."), code="who")
    action = (text.action or "").strip()
    if len(action) > 280:
        raise DomainError(_("Keep the action under 280 characters."), code="action")
    if text.action_due and not action:
        raise DomainError(_("Say what you will do before giving a date."), code="action_due")
    names = parse_tags(text.tags)
    clean = TakeawayText(
        title=title,
        body=body,
        kind=text.kind,
        tags=names,
        who_benefits=(text.who_benefits or "").strip(),
        action=action,
        action_due=text.action_due,
    )
    return clean, names


# --- Capture ------------------------------------------------------------------------------------


@transaction.atomic
def takeaway_create(
    *,
    session_id: int,
    author: User,
    title: str,
    body: str = "",
    visibility: str | None = None,
    kind: str = Takeaway.Kind.LEARNING,
    tags: str | list[str] = "",
    who_benefits: str = "",
    action: str = "",
    action_due: date | None = None,
) -> Takeaway:
    """Record one insight from a session; the author owns it and reviews it when it is due
    (6 months for technical tips, the organisation's setting, 12 months, for the rest).

    Visibility is kept inside a private community or intervision group ("organisation"
    becomes the group); without a community, "community" is the organisation. Transaction: one
    insert plus its tags. Not idempotent (two calls, two takeaways).
    """

    session = sessions_visible_to(author).filter(pk=session_id).select_related("community").first()
    if session is None:
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    if not may_write_takeaway(author, session):
        raise DomainError(
            _("Takeaways can be added from the start of the session by people who came."),
            code="not_allowed",
        )
    text, names = _checked(
        TakeawayText(
            title=title,
            body=body,
            kind=kind,
            tags=tags,
            who_benefits=who_benefits,
            action=action,
            action_due=action_due,
        )
    )
    visibility = _normal_visibility(
        visibility if visibility is not None else default_visibility(session.community),
        session.community,
    )
    takeaway = Takeaway.objects.create(
        session=session,
        author=author,
        owner=author,
        title=text.title,
        body=text.body,
        kind=text.kind,
        who_benefits=text.who_benefits,
        action=text.action,
        action_due=text.action_due,
        language=author.language or "nl",
        visibility=visibility,
        tags_text=" ".join(names),
        review_due=next_review(text.kind),
    )
    if names:
        takeaway.tags.set(tags_from_names(names))
    if takeaway.visibility != Takeaway.Visibility.PRIVATE:
        changed("takeaway.published", object_id=takeaway.pk, community_id=session.community_id)
    return takeaway


@transaction.atomic
def takeaway_keep(
    *,
    author: User,
    community: Community | None,
    title: str,
    body: str = "",
    tags: str | list[str] = "",
    kind: str = Takeaway.Kind.TIP,
) -> Takeaway:
    """Keep a good answer to a question as a takeaway (the layer above calls this and links
    the answer to it): no session, the question's community (None: organisation-wide), the
    answerer as author and owner, reviewed when due like any takeaway, shared as a takeaway of
    that community would be by default. Too long a title or text is cut (with "…").
    Transaction: one insert plus its tags. Not idempotent (the caller keeps one per answer)."""
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1].rstrip() + "…"
    text, names = _checked(TakeawayText(title=title, body=body, kind=kind, tags=tags))
    takeaway = Takeaway.objects.create(
        origin=Takeaway.Origin.ANSWER,
        session=None,
        community=community,
        author=author,
        owner=author,
        title=text.title,
        body=text.body,
        kind=text.kind,
        language=author.language or "nl",
        visibility=default_visibility(community),
        tags_text=" ".join(names),
        review_due=next_review(text.kind),
    )
    if names:
        takeaway.tags.set(tags_from_names(names))
    changed("takeaway.published", object_id=takeaway.pk, community_id=takeaway.community_id)
    return takeaway


def _own_locked(takeaway_id: int, user: User) -> Takeaway:
    takeaway = (
        Takeaway.objects.select_for_update(of=("self",))
        .select_related("session", "session__community")
        .filter(Q(author=user) | Q(owner=user), pk=takeaway_id)
        .first()
    )
    if takeaway is None:
        raise TakeawayNotFound(_("This takeaway does not exist."), code="not_found")
    return takeaway


def _reviewable_locked(takeaway_id: int, user: User, *, as_steward: bool) -> Takeaway:
    """The author's or owner's takeaway; with ``as_steward`` also a shared takeaway of a
    community the person looks after (its ambassadors and coordinators: the review queue)."""
    if not as_steward:
        return _own_locked(takeaway_id, user)
    takeaway = (
        Takeaway.objects.select_for_update(of=("self",))
        .select_related("session", "session__community")
        .exclude(visibility=Takeaway.Visibility.PRIVATE)
        .filter(pk=takeaway_id, session__community__isnull=False)
        .first()
    )
    if takeaway is None or not can_look_after(user, takeaway.session.community):
        raise TakeawayNotFound(_("This takeaway does not exist."), code="not_found")
    return takeaway


def _record_review(takeaway: Takeaway, user: User, outcome: str, *, now: datetime) -> None:
    TakeawayReview.objects.create(takeaway=takeaway, reviewer=user, outcome=outcome)
    takeaway.reviewed_at = now
    takeaway.reviewed_by = user


@transaction.atomic
def takeaway_update(
    *,
    takeaway_id: int,
    user: User,
    title: str,
    body: str = "",
    visibility: str,
    kind: str = Takeaway.Kind.LEARNING,
    tags: str | list[str] = "",
    who_benefits: str = "",
    action: str = "",
    action_due: date | None = None,
    as_review: bool = False,
) -> Takeaway:
    """Edit my own takeaway. An edit alone is not a review: only with ``as_review`` (the owner
    says "I reviewed it") is a review recorded and the review date moved on. Transaction: row
    lock on the takeaway. Idempotent for the same input (apart from a second review entry)."""
    takeaway = _own_locked(takeaway_id, user)
    text, names = _checked(
        TakeawayText(
            title=title,
            body=body,
            kind=kind,
            tags=tags,
            who_benefits=who_benefits,
            action=action,
            action_due=action_due,
        )
    )
    now = timezone.now()
    takeaway.title = text.title
    takeaway.body = text.body
    kind_changed = takeaway.kind != text.kind
    takeaway.kind = text.kind
    takeaway.who_benefits = text.who_benefits
    takeaway.action = text.action
    takeaway.action_due = text.action_due
    takeaway.visibility = _normal_visibility(visibility, takeaway.home_community)
    takeaway.tags_text = " ".join(names)
    if as_review:
        if not takeaway.is_active:
            raise DomainError(_("An archived takeaway is not reviewed."), code="inactive")
        _record_review(takeaway, user, TakeawayReview.Outcome.UPDATED, now=now)
        takeaway.review_due = next_review(takeaway.kind)
    elif kind_changed and takeaway.reviewed_at is None:
        # Not reviewed yet: the window of the new kind counts from when it was written.
        takeaway.review_due = add_months(
            timezone.localtime(takeaway.created_at).date(), review_months(takeaway.kind)
        )
    takeaway.save()
    takeaway.tags.set(tags_from_names(names))
    return takeaway


@transaction.atomic
def takeaway_reconfirm(*, takeaway_id: int, user: User, as_steward: bool = False) -> Takeaway:
    """The owner checked it and it still holds: a review; the next one is a window later.
    ``as_steward``: an ambassador or coordinator of the community does it from the review queue.
    Transaction: row lock. Idempotent per day (the review date lands on the same day)."""
    takeaway = _reviewable_locked(takeaway_id, user, as_steward=as_steward)
    if not takeaway.is_active:
        raise DomainError(_("An archived takeaway is not reviewed."), code="inactive")
    _record_review(takeaway, user, TakeawayReview.Outcome.RECONFIRMED, now=timezone.now())
    takeaway.review_due = next_review(takeaway.kind)
    takeaway.save()
    return takeaway


@transaction.atomic
def takeaway_archive(*, takeaway_id: int, user: User, as_steward: bool = False) -> Takeaway:
    """No longer true or useful: archived (still findable on request, out of freshness and
    nudges). Transaction: row lock. Idempotent: archiving twice keeps the first time."""
    takeaway = _reviewable_locked(takeaway_id, user, as_steward=as_steward)
    if takeaway.archived_at is None:
        now = timezone.now()
        _record_review(takeaway, user, TakeawayReview.Outcome.ARCHIVED, now=now)
        takeaway.archived_at = now
        takeaway.save()
    return takeaway


@transaction.atomic
def takeaway_supersede(
    *, takeaway_id: int, user: User, by_id: int, as_steward: bool = False
) -> Takeaway:
    """A newer takeaway replaces this one (its page links to the newer one). The newer one must
    be readable by the owner, active, and not the same. Transaction: row lock. Idempotent."""

    takeaway = _reviewable_locked(takeaway_id, user, as_steward=as_steward)
    newer = (
        takeaways_visible_to(user)
        .filter(pk=by_id, archived_at__isnull=True, superseded_by__isnull=True)
        .exclude(pk=takeaway.pk)
        .first()
    )
    if newer is None:
        raise DomainError(
            _("Choose a newer takeaway you can read, not this one."), code="superseded_by"
        )
    if takeaway.superseded_by_id == newer.pk:
        return takeaway
    _record_review(takeaway, user, TakeawayReview.Outcome.SUPERSEDED, now=timezone.now())
    takeaway.superseded_by = newer
    takeaway.save()
    return takeaway


@transaction.atomic
def takeaway_hide(*, takeaway_id: int, lead: User, reason: str) -> Takeaway:
    """A coordinator hides a takeaway from their community; the author sees why. Transaction:
    row lock. Idempotent: hiding again updates the reason."""

    found = takeaway_for_lead(user=lead, takeaway_id=takeaway_id)
    if found is None:
        raise TakeawayNotFound(_("This takeaway does not exist."), code="not_found")
    reason = (reason or "").strip()
    if not reason or len(reason) > 280:
        raise DomainError(
            _("Give the author a reason (at most 280 characters)."), code="hidden_reason"
        )
    takeaway = Takeaway.objects.select_for_update().get(pk=found.pk)
    takeaway.hidden_at = takeaway.hidden_at or timezone.now()
    takeaway.hidden_by = lead
    takeaway.hidden_reason = reason
    takeaway.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return takeaway


@transaction.atomic
def takeaway_unhide(*, takeaway_id: int, lead: User) -> Takeaway:
    """Show a hidden takeaway again. Transaction: row lock. Idempotent."""

    found = takeaway_for_lead(user=lead, takeaway_id=takeaway_id)
    if found is None:
        raise TakeawayNotFound(_("This takeaway does not exist."), code="not_found")
    takeaway = Takeaway.objects.select_for_update().get(pk=found.pk)
    takeaway.hidden_at = None
    takeaway.hidden_by = None
    takeaway.hidden_reason = ""
    takeaway.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return takeaway


def helpful_set(*, takeaway_id: int, user: User, helpful: bool) -> bool:
    """Mark (or unmark) a takeaway I may read as helpful; not my own. The unique constraint
    keeps one mark per person. Transaction: one insert or delete. Idempotent. Returns the
    state now."""

    takeaway = takeaways_visible_to(user).filter(pk=takeaway_id).first()
    if takeaway is None:
        raise TakeawayNotFound(_("This takeaway does not exist."), code="not_found")
    if user.pk in (takeaway.author_id, takeaway.owner_id):
        raise DomainError(_("You cannot mark your own takeaway as helpful."), code="own")
    if not helpful:
        TakeawayHelpful.objects.filter(takeaway=takeaway, user=user).delete()
        return False
    try:
        with transaction.atomic():
            TakeawayHelpful.objects.get_or_create(takeaway=takeaway, user=user)
    except IntegrityError:  # the same person's second click, at the same moment
        pass
    return True


def contributions_visibility_set(*, user: User, show: bool) -> None:
    """Opt in (or out) of recognition: my contributions page and thanks in digests.
    Transaction: one update. Idempotent."""
    User.objects.filter(pk=user.pk).update(show_contributions=show)
    user.show_contributions = show


# --- The review nudge ---------------------------------------------------------------------------


def nudge_key(owner_id: int, today: date) -> str:
    return f"takeaway-review:{owner_id}:{today.isoformat()}"


def takeaway_review_nudge(*, today: date | None = None) -> int:
    """Nudge owners whose takeaways reached their review date: one outbox message per owner per
    day (dedupe key ``takeaway-review:<owner>:<date>``) listing every takeaway due, and each due
    takeaway is marked as nudged for its review date, so it is nudged once. An owner already
    nudged today is left for tomorrow's batch. Transaction: per owner, the due rows are locked
    (skip_locked: a concurrent run takes other owners) and the message is enqueued in the same
    transaction. Idempotent: a second run finds nothing left to nudge. Returns messages made."""

    today = today or timezone.localdate()
    owners = list(due_for_nudge(today=today).values_list("owner_id", flat=True).distinct())
    made = 0
    for owner_id in sorted(set(owners)):
        with transaction.atomic():
            due = list(
                due_for_nudge(today=today)
                .filter(owner_id=owner_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("session", "owner")
            )
            if not due:
                continue
            key = nudge_key(owner_id, today)

            if OutboxMessage.objects.filter(dedupe_key=key).exists():
                continue
            owner = due[0].owner
            outbox_enqueue(
                dedupe_key=key,
                kind="takeaway_review",
                template="takeaway_review_due",
                recipient=owner,
                context={
                    "takeaways": [
                        {
                            "title": t.title,
                            "session": t.session.title
                            if t.session_id
                            else str(t.get_origin_display()),
                            "review_due": t.review_due,
                            "url": reverse("takeaway_detail", args=[t.pk]),
                        }
                        for t in due
                    ],
                    "count": len(due),
                },
            )
            now = timezone.now()
            for takeaway in due:
                Takeaway.objects.filter(pk=takeaway.pk).update(
                    review_nudged_for=takeaway.review_due, review_nudged_at=now
                )
            made += 1
    return made
