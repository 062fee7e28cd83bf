"""Writes of onboarding journeys: templates and their steps, starting a newcomer, ticking off
steps, and the gentle reminders of steps that fall due (outbox rows, planned by beat)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from learning.articles.selectors import articles_linkable_by
from learning.journeys import selectors
from learning.journeys.models import (
    MAX_DAY_OFFSET,
    Journey,
    JourneyStep,
    JourneyStepProgress,
    JourneyTemplate,
)
from learning.journeys.permissions import can_build_journeys_for, is_party_to
from learning.mail import render_plain

REMINDER_HOUR = 9  # a step's reminder goes at 09:00 on its day, in the newcomer's time zone
PLAN_AHEAD = timedelta(minutes=5)
CATCH_UP_DAYS = 2  # a reminder older than this is not sent any more (a journey started late)


class JourneyNotFound(DomainError):
    pass


def journey_template_create(
    *, actor: User, community: Community | None, title: str, description: str = ""
) -> JourneyTemplate:
    """A new, empty journey template. Transaction: one insert. Not idempotent."""
    if not can_build_journeys_for(actor, community):
        raise DomainError(_("Only the coordinators can build journeys here."), code="forbidden")
    if not title.strip():
        raise DomainError(_("A journey needs a title."), code="title")
    return JourneyTemplate.objects.create(
        community=community, title=title.strip(), description=description.strip(), created_by=actor
    )


def _template_for(actor: User, template_id: int) -> JourneyTemplate:
    template = selectors.template_for_manager(user=actor, template_id=template_id)
    if template is None:
        raise JourneyNotFound(_("This journey does not exist."), code="not_found")
    return template


@transaction.atomic
def journey_step_add(
    *,
    template_id: int,
    actor: User,
    day_offset: int,
    kind: str,
    title: str,
    details: str = "",
    url: str = "",
    session_id: int | None = None,
    person_id: int | None = None,
    article_id: int | None = None,
) -> JourneyStep:
    """Add a step to a template; journeys already under way keep the steps they started
    with. Transaction: one insert. Not idempotent."""
    template = _template_for(actor, template_id)
    if kind not in JourneyStep.Kind.values:
        raise DomainError(_("Choose what kind of step this is."), code="kind")
    if not 0 <= day_offset <= MAX_DAY_OFFSET:
        raise DomainError(_("A step falls within the first year (day 0 to 365)."), code="day")
    if not title.strip():
        raise DomainError(_("A step needs a title."), code="title")
    url = url.strip()
    if url and (not url.startswith("/") or url.startswith("//")):
        raise DomainError(_("Link to a page of this app, starting with /."), code="url")
    if kind == JourneyStep.Kind.LINK and not url:
        raise DomainError(_("Give the link for this step."), code="url")
    session = None
    if kind == JourneyStep.Kind.SESSION:
        if session_id is None:
            raise DomainError(_("Choose the session to attend."), code="session")
        session = selectors.session_for_step(user=actor, session_id=session_id)
        if session is None:
            raise DomainError(_("This session does not exist."), code="session")
    person = None
    if kind == JourneyStep.Kind.MEET and person_id is not None:
        person = User.objects.filter(pk=person_id, is_active=True).first()
        if person is None:
            raise DomainError(_("This person does not exist."), code="person")
    if kind == JourneyStep.Kind.CHECKLIST and not details.strip():
        raise DomainError(_("A checklist needs at least one item."), code="details")
    article = None
    if kind == JourneyStep.Kind.ARTICLE:
        article = articles_linkable_by(actor).filter(pk=article_id).first() if article_id else None
        if article is None:
            raise DomainError(_("Choose the article to read."), code="article")
    return JourneyStep.objects.create(
        template=template,
        day_offset=day_offset,
        kind=kind,
        title=title.strip(),
        details=details.strip(),
        url=url,
        session=session,
        person=person,
        article=article,
    )


def _journey_mail(journey: Journey, person: User, *, template: str, key: str) -> None:
    outbox_enqueue(
        dedupe_key=f"{key}:{journey.pk}:{person.pk}",
        kind=template,
        recipient=person,
        rendered=render_plain(
            template=template,
            context={
                "recipient": person,
                "journey": journey,
                "url": reverse("learning:journey_detail", args=[journey.pk]),
            },
            language=person.language,
        ),
    )


@transaction.atomic
def journey_start(
    *,
    template_id: int,
    actor: User,
    newcomer_id: int,
    buddy_id: int,
    supervisor_id: int,
    start_date: date,
) -> Journey:
    """Start a newcomer on a journey with a buddy and a werkplekbegeleider; each of the three
    gets a mail. Transaction: one (journey, its steps' progress rows, three outbox rows).
    Not idempotent, but a second active journey on the same template for the same newcomer is
    refused (a unique constraint guards it too)."""
    template = _template_for(actor, template_id)
    if len({newcomer_id, buddy_id, supervisor_id}) != 3:
        raise DomainError(
            _("The newcomer, the buddy and the supervisor are three different people."),
            code="people",
        )
    eligible = {
        person.pk: person
        for person in selectors.people_for_journey(template).filter(
            pk__in=[newcomer_id, buddy_id, supervisor_id]
        )
    }
    if len(eligible) != 3:
        raise DomainError(_("Choose people from this community."), code="people")
    today = timezone.localdate()
    if abs((start_date - today).days) > 366:
        raise DomainError(_("Choose a start date within a year from today."), code="start")
    steps = list(template.steps.all())
    if not steps:
        raise DomainError(_("Add steps to the journey first."), code="steps")
    if Journey.objects.filter(
        template=template, newcomer_id=newcomer_id, state=Journey.State.ACTIVE
    ).exists():
        raise DomainError(_("This newcomer is already on this journey."), code="duplicate")
    journey = Journey.objects.create(
        template=template,
        newcomer=eligible[newcomer_id],
        buddy=eligible[buddy_id],
        supervisor=eligible[supervisor_id],
        start_date=start_date,
        started_by=actor,
    )
    JourneyStepProgress.objects.bulk_create(
        JourneyStepProgress(
            journey=journey, step=step, due_date=start_date + timedelta(days=step.day_offset)
        )
        for step in steps
    )
    for person in (journey.newcomer, journey.buddy, journey.supervisor):
        _journey_mail(journey, person, template="journey_started", key="journey_started")
    return journey


@transaction.atomic
def journey_step_mark(*, journey_id: int, progress_id: int, actor: User, done: bool) -> Journey:
    """Tick a step off (or undo that) as newcomer, buddy or supervisor. The last step done
    completes the journey and tells the three of them. Transaction: one, the journey row
    locked. Idempotent: marking a step as it already is changes nothing."""
    journey = Journey.objects.select_for_update().filter(pk=journey_id).first()
    if journey is None or not is_party_to(actor, journey):
        raise JourneyNotFound(_("This journey does not exist."), code="not_found")
    progress = JourneyStepProgress.objects.filter(pk=progress_id, journey=journey).first()
    if progress is None:
        raise JourneyNotFound(_("This step does not exist."), code="not_found")
    if journey.state != Journey.State.ACTIVE:
        raise DomainError(_("This journey is no longer under way."), code="closed")
    if (progress.done_at is not None) == done:
        return journey
    progress.done_at = timezone.now() if done else None
    progress.done_by = actor if done else None
    progress.save(update_fields=["done_at", "done_by"])
    if done and not journey.progress.filter(done_at__isnull=True).exists():
        journey.state = Journey.State.COMPLETED
        journey.completed_at = timezone.now()
        journey.save(update_fields=["state", "completed_at"])
        for person in (journey.newcomer, journey.buddy, journey.supervisor):
            if person is not None:
                _journey_mail(journey, person, template="journey_completed", key="journey_done")
    return journey


@transaction.atomic
def journey_stop(*, journey_id: int, actor: User) -> Journey:
    """The supervisor (or whoever manages the template) stops a journey: no more reminders.
    Transaction: one. Idempotent."""
    journey = Journey.objects.select_for_update().select_related("template__community")
    journey = journey.filter(pk=journey_id).first()
    if journey is None or not (
        actor.pk == journey.supervisor_id
        or can_build_journeys_for(actor, journey.template.community)
    ):
        raise JourneyNotFound(_("This journey does not exist."), code="not_found")
    if journey.state == Journey.State.ACTIVE:
        journey.state = Journey.State.STOPPED
        journey.save(update_fields=["state"])
    return journey


def reminder_moment(progress: JourneyStepProgress, zone: str) -> datetime:
    return datetime.combine(progress.due_date, time(REMINDER_HOUR), tzinfo=ZoneInfo(zone))


def journey_reminders_plan(*, now: datetime | None = None) -> int:
    """Turn steps falling due into outbox rows: the newcomer (and, for a person to meet, the
    buddy) gets one gentle mail at 09:00 on the step's day. Transaction: one per step.
    Idempotent: a step is reminded once (``reminded_at`` and the dedupe key
    ``journey_step:<progress>:<user>``)."""
    now = now or timezone.now()
    horizon = now + PLAN_AHEAD
    candidates = (
        JourneyStepProgress.objects.filter(
            done_at__isnull=True,
            reminded_at__isnull=True,
            journey__state=Journey.State.ACTIVE,
            due_date__lte=(horizon + timedelta(days=1)).date(),
            due_date__gte=(now - timedelta(days=CATCH_UP_DAYS)).date(),
        )
        .select_related("journey__newcomer", "journey__buddy", "journey__template", "step")
        .order_by("due_date", "id")
    )
    planned = 0
    for progress in candidates:
        newcomer = progress.journey.newcomer
        moment = reminder_moment(progress, newcomer.timezone)
        if moment > horizon:
            continue
        with transaction.atomic():
            claimed = JourneyStepProgress.objects.filter(
                pk=progress.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            people = [newcomer]
            if progress.step.kind == JourneyStep.Kind.MEET and progress.journey.buddy:
                people.append(progress.journey.buddy)
            for person in people:
                outbox_enqueue(
                    dedupe_key=f"journey_step:{progress.pk}:{person.pk}",
                    kind="journey_step_due",
                    recipient=person,
                    due_at=max(moment, now),
                    rendered=render_plain(
                        template="journey_step_due",
                        context={
                            "recipient": person,
                            "journey": progress.journey,
                            "step": progress.step,
                            "for_newcomer": person.pk == newcomer.pk,
                            "url": reverse("learning:journey_detail", args=[progress.journey_id]),
                        },
                        language=person.language,
                    ),
                )
                planned += 1
    return planned
