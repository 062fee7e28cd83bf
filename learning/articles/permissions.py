"""Who may edit an article, and who looks after its freshness."""

from __future__ import annotations

from communities.models import Community, Membership, User
from communities.permissions import can_manage_community, is_ambassador
from learning.articles.models import Article


def can_edit_article(user: User, article: Article, *, coauthor_ids=None) -> bool:
    """The owner, the co-authors and the community's coordinators (staff for the organisation's
    articles) edit an article; everyone else only reads it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if article.owner_id == user.pk:
        return True
    ids = coauthor_ids
    if ids is None:
        ids = set(article.coauthorships.values_list("user_id", flat=True))
    if user.pk in ids:
        return True
    if article.community is None:
        return user.is_staff
    return can_manage_community(user, article.community)


def can_review_article(user: User, article: Article, *, coauthor_ids=None) -> bool:
    """Those who edit it, and the community's ambassadors, mark it reviewed, superseded or
    archived."""
    return can_edit_article(user, article, coauthor_ids=coauthor_ids) or is_ambassador(
        user, article.community
    )


def can_write_in(user: User, community: Community | None) -> bool:
    """Members of a community write its articles; anyone signed in writes organisation ones."""
    if not (user.is_authenticated and user.is_active):
        return False
    if community is None:
        return True
    if community.archived:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).exists() or can_manage_community(user, community)
