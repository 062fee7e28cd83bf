"""A person's in-app notifications and what the weekly digest adds from them. Each one is
checked again against what the person may see now (a question moved out of reach disappears)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import User
from knowledge.models import Notification, Question
from knowledge.selectors.questions import questions_visible_to
from knowledge.selectors.wishes import wishes_visible_to


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's notifications whose question or wish they may still see, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user)
        .filter(
            Q(question__isnull=True, wish__in=wishes_visible_to(user))
            | Q(question__in=questions_visible_to(user))
        )
        .select_related("question", "question__community", "wish", "wish__community")
        .order_by("-created_at", "-id")
    )


def unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def digest_section(user: User, since: datetime, until: datetime) -> dict | None:
    """Questions routed to the person this week that are still open and that they may see (the
    weekly digest's "questions for you"; registered with events.reminders.extensions)."""
    routed = (
        notifications_for(user)
        .filter(
            kind=Notification.Kind.QUESTION_ROUTED,
            created_at__gte=since,
            created_at__lt=until,
            question__state=Question.State.OPEN,
        )
        .order_by("created_at", "id")[:10]
    )
    items = [
        {
            "title": n.question.title,
            "url": settings.SITE_URL + reverse("question_detail", args=[n.question_id]),
        }
        for n in routed
    ]
    if not items:
        return None
    return {"heading": _("Questions colleagues asked on your topics"), "items": items}
