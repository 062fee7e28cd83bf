"""A person's expertise: the topics they can help with and what they let the app show."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.takeaways.rules import parse_tags
from knowledge.models import ExpertiseProfile, ExpertiseTopic

MAX_TOPICS = 12


@transaction.atomic
def expertise_set(
    *,
    user: User,
    topics: str | list[str],
    listed: bool,
    show_evidence: bool,
    route_questions: bool,
    mail_questions: bool,
) -> ExpertiseProfile:
    """Save a person's topics and consent. Transaction: one. Idempotent: the same choices
    twice leave the same rows. Turning ``listed`` off takes the person out of "wie weet wat"
    at once (the topics stay, for the next time they opt in)."""
    try:
        names = parse_tags(topics)[:MAX_TOPICS] if topics else []
    except DomainError as error:
        raise DomainError(error.message.replace(_("Tags"), _("Topics")), code="topics") from None
    if len(names) > MAX_TOPICS:
        raise DomainError(_("Give at most %(max)d topics.") % {"max": MAX_TOPICS}, code="topics")
    profile, _created = ExpertiseProfile.objects.select_for_update().get_or_create(user=user)
    profile.listed = listed
    profile.show_evidence = show_evidence
    profile.route_questions = route_questions
    profile.mail_questions = mail_questions and route_questions
    profile.save()
    wanted = {slugify(name)[:60]: name for name in names}
    ExpertiseTopic.objects.filter(user=user).exclude(slug__in=list(wanted)).delete()
    existing = set(ExpertiseTopic.objects.filter(user=user).values_list("slug", flat=True))
    ExpertiseTopic.objects.bulk_create(
        [
            ExpertiseTopic(user=user, slug=slug, name=name)
            for slug, name in wanted.items()
            if slug not in existing
        ],
        ignore_conflicts=True,
    )
    return profile
