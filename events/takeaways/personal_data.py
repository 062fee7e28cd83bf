"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import User
from communities.personal_data import (
    ErasureQuestion,
    iso,
    register,
    register_erasure_question,
)
from events.models import (
    Takeaway,
    TakeawayHelpful,
    TakeawayReview,
)


def _export_takeaways(user: User) -> list[dict]:
    return [
        {
            "session": t.session.title if t.session_id else None,
            "origin": t.origin,
            "title": t.title,
            "body": t.body,
            "kind": t.kind,
            "tags": sorted((tag.name for tag in t.tags.all()), key=str.lower),
            "who_benefits": t.who_benefits,
            "action": t.action,
            "action_due": iso(t.action_due),
            "visibility": t.visibility,
            "written_by_me": t.author_id == user.id,
            "owned_by_me": t.owner_id == user.id,
            "review_due": iso(t.review_due),
            "reviewed_at": iso(t.reviewed_at) if t.reviewed_by_id == user.id else None,
            "archived_at": iso(t.archived_at),
            "hidden_reason": t.hidden_reason,
            "hidden_by_me": t.hidden_by_id == user.id,
            "written_at": iso(t.created_at),
        }
        for t in (
            Takeaway.objects.filter(
                Q(author=user) | Q(owner=user) | Q(reviewed_by=user) | Q(hidden_by=user)
            )
            .select_related("session")
            .prefetch_related("tags")
            .order_by("id")
        )
    ]


def _erase_takeaways(user: User) -> None:
    """Private takeaways go with the person; shared ones stay for the community, anonymised
    (author, owner, reviewer and who hid them are unlinked by the foreign keys' SET_NULL)."""

    Takeaway.objects.filter(author=user, visibility=Takeaway.Visibility.PRIVATE).delete()


def _shared_by(user: User):
    return Takeaway.objects.filter(author=user).exclude(visibility=Takeaway.Visibility.PRIVATE)


def _erase_shared_takeaways(user: User, answer: str) -> None:
    """The person's answer: "keep" leaves their shared takeaways for the others, without their
    name (the erasure below unlinks them); "delete" deletes them with the account."""
    if answer == "delete":
        _shared_by(user).delete()


SHARED_TAKEAWAYS = ErasureQuestion(
    name="shared_takeaways",
    label=_("Your shared takeaways"),
    help_text=_(
        "Takeaways you shared with a community or the organisation. Private ones are always"
        " deleted. Your data download lists them all."
    ),
    choices=(
        ("keep", _("Keep them for the others, without my name")),
        ("delete", _("Delete them too")),
    ),
    default="keep",
    applies=lambda user: _shared_by(user).exists(),
    apply=_erase_shared_takeaways,
)


def _export_helpful(user: User) -> list[dict]:
    return [
        {"takeaway": m.takeaway.title, "marked_at": iso(m.created_at)}
        for m in TakeawayHelpful.objects.filter(user=user).select_related("takeaway").order_by("id")
    ]


def _export_takeaway_reviews(user: User) -> list[dict]:
    return [
        {"takeaway": r.takeaway.title, "outcome": r.outcome, "at": iso(r.at)}
        for r in TakeawayReview.objects.filter(reviewer=user)
        .select_related("takeaway")
        .order_by("id")
    ]


def register_personal_data() -> None:
    register_erasure_question(SHARED_TAKEAWAYS)
    register(
        section="takeaways",
        model=Takeaway,
        user_fields=("author", "owner", "reviewed_by", "hidden_by"),
        export=_export_takeaways,
        erasure=_erase_takeaways,
    )
    # Helpful marks go with the person; the review log stays, unlinked.
    register(
        section="helpful_marks",
        model=TakeawayHelpful,
        user_fields=("user",),
        export=_export_helpful,
        erasure="cascade",
    )
    register(
        section="takeaway_reviews",
        model=TakeawayReview,
        user_fields=("reviewer",),
        export=_export_takeaway_reviews,
        erasure="set_null",
    )
