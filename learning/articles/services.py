"""Writing knowledge articles: create, edit (every save a version), co-authors, files, the
freshness reviews (reviewed, superseded, archived) and links to sessions.

Every function is keyword-only; domain errors carry a translated message and change nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, Membership, User
from events.sessions.selectors import sessions_visible_to
from events.takeaways.rules import add_months
from learning.articles import rules
from learning.articles.models import Article, ArticleCoauthor, ArticleFile, ArticleVersion
from learning.articles.permissions import can_edit_article, can_review_article, can_write_in
from learning.articles.selectors import articles_visible_to

TITLE_MAX = 160
BODY_MAX = 50_000


class ArticleNotFound(DomainError):
    """The article does not exist for this person (views answer 404)."""


def _checked_text(title: str, body: str, kind: str, review_months: int) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("An article needs a title."), code="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("Keep the title under 160 characters."), code="title")
    if len(body or "") > BODY_MAX:
        raise DomainError(_("The text may be at most 50,000 characters."), code="body")
    if kind not in Article.Kind.values:
        raise DomainError(_("Choose what kind of article this is."), code="kind")
    if not rules.REVIEW_MONTHS_MIN <= review_months <= rules.REVIEW_MONTHS_MAX:
        raise DomainError(_("Review it every 1 to 36 months."), code="review_months")
    return title, (body or "").replace("\r\n", "\n")


def _locked(article_id: int, user: User) -> Article:
    article = (
        articles_visible_to(user)
        .select_for_update(of=("self",))
        .select_related("community")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise ArticleNotFound(_("This article does not exist."), code="not_found")
    return article


def _editable(article_id: int, user: User) -> Article:
    article = _locked(article_id, user)
    if not can_edit_article(user, article):
        raise DomainError(
            _("Only the owner, the co-authors and the coordinators edit this article."),
            code="forbidden",
        )
    return article


@transaction.atomic
def article_create(
    *,
    author: User,
    community: Community | None,
    title: str,
    body: str = "",
    kind: str = Article.Kind.HOWTO,
    review_months: int = 12,
) -> Article:
    """Write an article; the author owns it and it is version 1. Its first review is
    ``review_months`` from today. Transaction: two inserts. Not idempotent."""
    if not can_write_in(author, community):
        raise DomainError(_("You can write articles in your own communities."), code="forbidden")
    title, body = _checked_text(title, body, kind, review_months)
    article = Article.objects.create(
        title=title,
        body=body,
        kind=kind,
        community=community,
        owner=author,
        review_months=review_months,
        review_due=add_months(timezone.localdate(), review_months),
    )
    ArticleVersion.objects.create(article=article, number=1, title=title, body=body, author=author)
    return article


@transaction.atomic
def article_update(
    *,
    article_id: int,
    user: User,
    title: str,
    body: str,
    kind: str,
    review_months: int,
    note: str = "",
    as_review: bool = False,
) -> Article:
    """Edit an article (owner, co-authors, coordinators): every save that changes the text is a
    new version with its author. An edit alone is not a review; with ``as_review`` it is one and
    the review date moves on. Transaction: row lock on the article, so two saves get two
    numbers. Idempotent for the same text (no new version)."""
    article = _editable(article_id, user)
    title, body = _checked_text(title, body, kind, review_months)
    changed = (title, body) != (article.title, article.body)
    article.title, article.body, article.kind = title, body, kind
    if review_months != article.review_months and article.reviewed_at is None:
        article.review_due = add_months(timezone.localdate(article.created_at), review_months)
    article.review_months = review_months
    if changed:
        number = (article.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        ArticleVersion.objects.create(
            article=article,
            number=number,
            title=title,
            body=body,
            author=user,
            note=" ".join((note or "").split())[:200],
        )
        article.version = number
    if as_review:
        _reviewed(article, user)
    article.save()
    return article


def _reviewed(article: Article, user: User) -> None:
    if not article.is_active:
        raise DomainError(_("An archived article is not reviewed."), code="inactive")
    article.reviewed_at = timezone.now()
    article.reviewed_by = user
    article.review_due = add_months(timezone.localdate(), article.review_months)


def _reviewable(article_id: int, user: User) -> Article:
    article = _locked(article_id, user)
    if not can_review_article(user, article):
        raise DomainError(
            _("Only the authors, coordinators and ambassadors review this article."),
            code="forbidden",
        )
    return article


@transaction.atomic
def article_review(*, article_id: int, user: User) -> Article:
    """Checked and still right: the next review is ``review_months`` later. Authors,
    coordinators and the community's ambassadors. Transaction: row lock. Idempotent per day."""
    article = _reviewable(article_id, user)
    _reviewed(article, user)
    article.save()
    return article


@transaction.atomic
def article_archive(*, article_id: int, user: User) -> Article:
    """No longer right or needed: out of lists and the review queue (still readable by link).
    Transaction: row lock. Idempotent: archiving twice keeps the first time."""
    article = _reviewable(article_id, user)
    if article.archived_at is None:
        article.archived_at = timezone.now()
        article.reviewed_by = user
        article.save()
    return article


@transaction.atomic
def article_supersede(*, article_id: int, user: User, by_id: int) -> Article:
    """A newer article replaces this one (its page links to the newer). The newer one must be
    readable by the person, active and not the same. Transaction: row lock. Idempotent."""
    article = _reviewable(article_id, user)
    newer = (
        articles_visible_to(user)
        .filter(pk=by_id, archived_at__isnull=True, superseded_by__isnull=True)
        .exclude(pk=article.pk)
        .first()
    )
    if newer is None:
        raise DomainError(
            _("Choose a newer article you can read, not this one."), code="superseded_by"
        )
    if article.superseded_by_id != newer.pk:
        article.superseded_by = newer
        article.reviewed_by = user
        article.save()
    return article


@transaction.atomic
def article_coauthor_add(*, article_id: int, user: User, email: str) -> ArticleCoauthor:
    """The owner (or a coordinator) adds a co-author by e-mail address; in a community they must
    be an active member. Transaction: row lock. Idempotent: adding twice keeps one row."""
    article = _editable(article_id, user)
    person = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if person is not None and article.community is not None:
        is_member = Membership.objects.filter(
            user=person, community=article.community, state=Membership.State.ACTIVE
        ).exists()
        person = person if is_member else None
    if person is None:
        raise DomainError(_("Nobody with this address can write here."), code="email")
    if person.pk == article.owner_id:
        raise DomainError(_("The owner already edits this article."), code="email")
    coauthor, _created = ArticleCoauthor.objects.get_or_create(article=article, user=person)
    return coauthor


@transaction.atomic
def article_coauthor_remove(*, article_id: int, user: User, coauthor_id: int) -> None:
    """Take a co-author off (the owner, a coordinator, or the co-author themselves).
    Transaction: row lock. Idempotent."""
    article = _editable(article_id, user)
    ArticleCoauthor.objects.filter(article=article, pk=coauthor_id).delete()


@transaction.atomic
def article_file_add(*, article_id: int, user: User, name: str, data: bytes) -> ArticleFile:
    """Attach an image or document: at most 10 per article, 5 MB each, its type read from the
    content. Transaction: row lock (two uploads cannot pass the count together). Not
    idempotent."""
    article = _editable(article_id, user)
    content_type = rules.sniff_file(data, existing=article.files.count())
    return ArticleFile.objects.create(
        article=article,
        name=rules.safe_file_name(name),
        content_type=content_type,
        size=len(data),
        data=data,
        uploaded_by=user,
    )


@transaction.atomic
def article_file_remove(*, article_id: int, user: User, file_id: int) -> None:
    """Remove a file. Transaction: row lock. Idempotent."""
    article = _editable(article_id, user)
    ArticleFile.objects.filter(article=article, pk=file_id).delete()


@transaction.atomic
def article_sessions_set(*, article_id: int, user: User, session_ids: list[int]) -> Article:
    """Attach the article to sessions the editor may see (replaces the earlier choice).
    Transaction: row lock. Idempotent."""
    article = _editable(article_id, user)
    sessions = list(sessions_visible_to(user).filter(pk__in=session_ids))
    if len(sessions) != len(set(session_ids)):
        raise DomainError(_("This session does not exist."), code="session")
    article.sessions.set(sessions)
    return article


# --- Erasure -----------------------------------------------------------------------------------


def articles_hand_over(*, user: User) -> int:
    """Before a person is erased, their articles move to the longest-serving co-author, else to
    a coordinator of the community; with neither they stay without an owner. Their co-author
    rows go with the account; their versions keep the text without an author (set_null).
    Transaction: the caller's (erasure). Returns how many articles changed owner."""
    moved = 0
    for article in Article.objects.filter(owner=user).select_related("community"):
        heir = (
            ArticleCoauthor.objects.filter(article=article, user__is_active=True)
            .exclude(user=user)
            .order_by("added_at", "id")
            .values_list("user_id", flat=True)
            .first()
        )
        if heir is None and article.community_id is not None:
            heir = (
                Membership.objects.filter(
                    community_id=article.community_id,
                    state=Membership.State.ACTIVE,
                    role__in=(Membership.Role.COORDINATOR, Membership.Role.FACILITATOR),
                    user__is_active=True,
                )
                .exclude(user=user)
                .order_by("created_at", "id")
                .values_list("user_id", flat=True)
                .first()
            )
        article.owner_id = heir
        article.save(update_fields=["owner", "updated_at"])
        if heir is not None:
            ArticleCoauthor.objects.filter(article=article, user_id=heir).delete()
            moved += 1
    return moved
