"""Ambassadors' writes: welcoming a newcomer (through the outbox)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from communities.permissions import can_look_after
from learning.ambassadors.models import Welcome
from learning.ambassadors.selectors import newcomers_of
from learning.mail import render_plain


@transaction.atomic
def newcomer_welcome(*, community: Community, actor: User, membership_id: int) -> Welcome:
    """Welcome someone who joined recently: a message from the ambassador through the outbox
    (dedupe key ``welcome:<community>:<newcomer>``) and a row saying it was sent. Ambassadors and
    coordinators. Transaction: one insert and one outbox row. Idempotent: a second click (by
    anyone) returns the first welcome and sends nothing more."""
    if not can_look_after(actor, community):
        raise DomainError(
            _("Only ambassadors and coordinators welcome newcomers."), code="forbidden"
        )
    membership = newcomers_of(community).filter(pk=membership_id).first()
    if membership is None:
        raise DomainError(_("This newcomer is not on the list."), code="not_found")
    newcomer = membership.user
    existing = Welcome.objects.filter(community=community, newcomer=newcomer).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            welcome = Welcome.objects.create(
                community=community, newcomer=newcomer, welcomed_by=actor
            )
    except IntegrityError:
        return Welcome.objects.get(community=community, newcomer=newcomer)
    outbox_enqueue(
        dedupe_key=f"welcome:{community.pk}:{newcomer.pk}",
        kind="community_welcome",
        recipient=newcomer,
        rendered=render_plain(
            template="community_welcome",
            context={
                "recipient": newcomer,
                "sender": actor,
                "community": community,
                "url": reverse("community_detail", args=[community.slug]),
                "articles_url": reverse("learning:article_list") + f"?community={community.slug}",
            },
            language=newcomer.language,
        ),
    )
    return welcome
