"""Routing a question to the people who can answer it: the colleagues who opted in with a
matching topic, and the community's coordinators. In the app and in the weekly digest; by mail
only for those who chose it; never more than ``ROUTING_WEEKLY_CAP`` questions per person in any
seven days (the cap counts every routed question, however it reached the person)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.mail.services import outbox_enqueue
from communities.models import Membership, User
from communities.permissions import LEAD_ROLES
from knowledge.models import ExpertiseProfile, ExpertiseTopic, Notification, Question
from knowledge.permissions import may_see_community
from knowledge.rules import ROUTING_FAN_OUT, ROUTING_WINDOW, under_cap

KIND_QUESTION_ROUTED = "question_routed"


def question_key(question: Question) -> str:
    return f"question:{question.pk}"


def _candidates(question: Question) -> list[User]:
    """Coordinators of the question's community first, then listed people whose topics match
    its tags (alphabetical: no ranking), everyone able to see the question, never the asker."""
    slugs = list(question.tags.values_list("slug", flat=True))
    leads: list[User] = []
    if question.community_id:
        leads = list(
            User.objects.filter(
                is_active=True,
                memberships__community_id=question.community_id,
                memberships__state=Membership.State.ACTIVE,
                memberships__role__in=LEAD_ROLES,
            ).order_by("pk")
        )
    experts: list[User] = []
    if slugs:
        experts = list(
            User.objects.filter(
                is_active=True,
                expertise_profile__listed=True,
                expertise_profile__route_questions=True,
                pk__in=ExpertiseTopic.objects.filter(slug__in=slugs).values("user_id"),
            ).order_by("display_name", "email", "pk")
        )
    seen: set[int] = {question.author_id} if question.author_id else set()
    chosen = []
    for person in leads + experts:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if question.community is not None and not may_see_community(person, question.community):
            continue
        chosen.append(person)
    return chosen


def question_route(*, question: Question, now: datetime | None = None) -> list[int]:
    """Notify the people a published question is for; returns their ids.

    Transaction: the caller's (the question's publication); the candidates' user rows are
    locked in id order, so two questions routed at once cannot both pass one person's cap.
    Idempotent: one notification per person and question (unique key); a second call notifies
    nobody new and mails nobody twice (the outbox dedupe key)."""
    now = now or timezone.now()
    candidates = _candidates(question)
    if not candidates:
        return []
    ids = [person.pk for person in candidates]
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    key = question_key(question)
    already = set(
        Notification.objects.filter(user_id__in=ids, key=key).values_list("user_id", flat=True)
    )
    recent: dict[int, list[datetime]] = {}
    for user_id, moment in Notification.objects.filter(
        user_id__in=ids,
        kind=Notification.Kind.QUESTION_ROUTED,
        created_at__gt=now - ROUTING_WINDOW,
    ).values_list("user_id", "created_at"):
        recent.setdefault(user_id, []).append(moment)
    mail_to = set(
        ExpertiseProfile.objects.filter(
            user_id__in=ids, mail_questions=True, route_questions=True
        ).values_list("user_id", flat=True)
    )
    lead_ids = set()
    if question.community_id:
        lead_ids = set(
            Membership.objects.filter(
                Q(community_id=question.community_id),
                state=Membership.State.ACTIVE,
                role__in=LEAD_ROLES,
            ).values_list("user_id", flat=True)
        )
    routed: list[int] = []
    experts = 0
    url = settings.SITE_URL + reverse("question_detail", args=[question.pk])
    for person in candidates:
        if person.pk in already:
            continue
        if not under_cap(recent.get(person.pk, []), now):
            continue
        if person.pk not in lead_ids:
            if experts >= ROUTING_FAN_OUT:
                continue
            experts += 1
        Notification.objects.create(
            user=person,
            kind=Notification.Kind.QUESTION_ROUTED,
            key=key,
            question=question,
            created_at=now,
        )
        routed.append(person.pk)
        if person.pk in mail_to:
            outbox_enqueue(
                dedupe_key=f"question_routed:{question.pk}:{person.pk}",
                kind=KIND_QUESTION_ROUTED,
                template="knowledge/question_routed",
                recipient=person,
                context={"question": question, "question_url": url},
            )
    return routed
