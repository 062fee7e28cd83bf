"""Writes of pairing: programmes, joining and leaving, skip and pause, and running a round
(pairs, and an introduction mail with a suggested 30-minute slot as a calendar invitation)."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.errors import DomainError
from communities.mail.services import OutboxDraft, outbox_enqueue_many
from communities.models import Community, User
from communities.organisation import organisation_settings, organisation_settings_remembered
from communities.permissions import can_manage_community
from events.calendar.ical.feed import Attendee, FeedEvent
from events.calendar.ical.itip import REQUEST, build_request
from learning.mail import MailMould, slot
from learning.pairing import selectors
from learning.pairing.matching import Person, history_of, pair_people
from learning.pairing.models import Pair, PairingOptIn, PairingProgramme, PairingRound

SLOT_MINUTES = 30
SLOT_TIMES = (time(10, 0), time(12, 30), time(15, 0))
SLOT_DAYS_AFTER_ROUND = 2


class ProgrammeNotFound(DomainError):
    pass


def pairing_programme_create(
    *,
    actor: User,
    community: Community | None,
    name: str,
    cadence_weeks: int,
    first_round_on: date,
) -> PairingProgramme:
    """Staff start the organisation's programme, coordinators a community's (one each).
    Transaction: one insert. Not idempotent, but a second programme for the same community (or
    the organisation) is refused."""
    if community is None:
        if not actor.is_staff:
            raise DomainError(_("Only staff can do that."), code="forbidden")
    elif community.archived or not can_manage_community(actor, community):
        raise DomainError(_("Only the coordinators can do that."), code="forbidden")
    if cadence_weeks not in PairingProgramme.Cadence.values:
        raise DomainError(_("Pair every 2 or every 4 weeks."), code="cadence")
    if not name.strip():
        raise DomainError(_("Give the programme a name."), code="name")
    if first_round_on < timezone.localdate():
        raise DomainError(_("The first round cannot be in the past."), code="past")
    if PairingProgramme.objects.filter(community=community, active=True).exists():
        raise DomainError(_("There is a pairing programme here already."), code="duplicate")
    return PairingProgramme.objects.create(
        community=community,
        name=name.strip(),
        cadence_weeks=cadence_weeks,
        next_round_on=first_round_on,
    )


def _programme(user: User, programme_id: int) -> PairingProgramme:
    programme = selectors.programme_for(user=user, programme_id=programme_id)
    if programme is None:
        raise ProgrammeNotFound(_("This programme does not exist."), code="not_found")
    return programme


def pairing_join(*, programme_id: int, user: User) -> PairingOptIn:
    """Take part from the next round on. Transaction: one insert. Idempotent."""
    programme = _programme(user, programme_id)
    opt_in, _created = PairingOptIn.objects.get_or_create(programme=programme, user=user)
    return opt_in


def pairing_leave(*, programme_id: int, user: User) -> None:
    """Stop taking part; earlier pairs stay (they keep the next rounds from repeating).
    Transaction: one delete. Idempotent."""
    programme = _programme(user, programme_id)
    PairingOptIn.objects.filter(programme=programme, user=user).delete()


def pairing_set(
    *, programme_id: int, user: User, skip_next: bool | None = None, paused: bool | None = None
) -> PairingOptIn:
    """Skip the next round, or pause (and resume) taking part: one click each.
    Transaction: one update. Idempotent."""
    programme = _programme(user, programme_id)
    opt_in = PairingOptIn.objects.filter(programme=programme, user=user).first()
    if opt_in is None:
        raise DomainError(_("You do not take part in this programme."), code="not_joined")
    if skip_next is not None:
        opt_in.skip_next = skip_next
    if paused is not None:
        opt_in.paused = paused
    opt_in.save(update_fields=["skip_next", "paused"])
    return opt_in


def suggested_slot(held_on: date, index: int, zone: str) -> datetime:
    """A 30-minute slot on a working day shortly after the round, spread over three times."""
    day = held_on + timedelta(days=SLOT_DAYS_AFTER_ROUND)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, SLOT_TIMES[index % len(SLOT_TIMES)], tzinfo=ZoneInfo(zone))


def _when(slot_start: datetime, zone: str, language: str) -> str:
    """The suggested slot as the recipient reads it: their language, their timezone."""
    with override(language):
        return date_format(slot_start.astimezone(ZoneInfo(zone)), "l j F Y, H:i")


def _moulds(programme: PairingProgramme) -> Callable[[str, tuple[bool, ...]], MailMould]:
    """The introduction rendered once per language and shape (how many others, which of them
    have a team), with slots for everything that differs per person."""
    cache: dict[tuple[str, tuple[bool, ...]], MailMould] = {}
    url = reverse("learning:pairing")

    def mould(language: str, shape: tuple[bool, ...]) -> MailMould:
        key = (language, shape)
        if key not in cache:
            others = [
                SimpleNamespace(
                    name=slot(f"name{n}"),
                    team=slot(f"team{n}") if has_team else "",
                    email=slot(f"email{n}"),
                )
                for n, has_team in enumerate(shape)
            ]
            cache[key] = MailMould(
                template="pairing_introduction",
                context={
                    "recipient": SimpleNamespace(name=slot("recipient")),
                    "others": others,
                    "other_names": [other.name for other in others],
                    "programme": programme,
                    "when": slot("when"),
                    "url": url,
                },
                language=language,
            )
        return cache[key]

    return mould


def _introductions(
    pairs: list[Pair], groups: list[list[User]], *, programme: PairingProgramme, now: datetime
) -> list[OutboxDraft]:
    """One introduction per person of each pair, with the pair's slot as a calendar invitation
    addressed to that person (their own ATTENDEE, the summary in their language). No queries:
    the mail is filled into moulds, the calendars are built in memory."""
    organizer = f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    organisation = organisation_settings().name
    url = settings.SITE_URL + reverse("learning:pairing")
    mould = _moulds(programme)
    drafts = []
    for pair, members in zip(pairs, groups, strict=True):
        for person in members:
            others = [m for m in members if m.pk != person.pk]
            language = person.language or settings.LANGUAGE_CODE
            values = {
                "recipient": person.name,
                "when": _when(pair.slot_start, person.timezone, language),
            }
            for n, other in enumerate(others):
                values |= {f"name{n}": other.name, f"team{n}": other.team, f"email{n}": other.email}
            with override(language):
                event = FeedEvent(
                    uid=pair.uid,
                    sequence=0,
                    start=pair.slot_start,
                    end=pair.slot_start + timedelta(minutes=SLOT_MINUTES),
                    timezone=pair.slot_timezone,
                    summary=_("Coffee with %(names)s")
                    % {"names": ", ".join(o.name for o in others)},
                    description=_("A suggested slot: move it to a time that suits you both."),
                    url=url,
                )
            calendar = build_request(
                events=[event],
                attendee=Attendee(email=person.email, name=person.name),
                organizer=organizer,
                organizer_name=organisation,
                dtstamp=now,
            )
            drafts.append(
                OutboxDraft(
                    dedupe_key=f"pairing:{pair.pk}:{person.pk}",
                    kind="pairing_introduction",
                    recipient=person,
                    rendered=mould(language, tuple(bool(o.team) for o in others)).fill(values),
                    language=language,
                    calendar=calendar.decode(),
                    calendar_method=REQUEST,
                    due_at=now,
                )
            )
    return drafts


@transaction.atomic
def pairing_round_run(*, programme_id: int, now: datetime | None = None) -> PairingRound | None:
    """Pair everyone taking part (avoiding earlier partners, then colleagues of the same team)
    and introduce each pair by mail with a suggested slot as a calendar invitation; "skip the
    next round" is used up. Transaction: one, the programme row locked, so two runs at once make
    one round each after the other, never the same round twice. Not idempotent: each call is
    a new round (beat calls it through ``pairing_rounds_due``, which only runs due ones).
    Returns None when fewer than two people take part.
    In bulk: the pairs are computed in memory and inserted with one statement per 1,000, the
    introductions rendered once per language (``MailMould``) and inserted likewise, so a round
    takes the same number of queries for 10 people as for 5,000."""
    now = now or timezone.now()
    programme = PairingProgramme.objects.select_for_update().filter(pk=programme_id).first()
    if programme is None:
        raise ProgrammeNotFound(_("This programme does not exist."), code="not_found")
    opt_ins = list(selectors.participants(programme))
    today = timezone.localdate(now)
    programme.next_round_on = max(programme.next_round_on, today) + timedelta(
        weeks=programme.cadence_weeks
    )
    programme.save(update_fields=["next_round_on"])
    PairingOptIn.objects.filter(programme=programme, skip_next=True).update(skip_next=False)
    if len(opt_ins) < 2:
        return None
    number = (programme.rounds.aggregate(last=Max("number"))["last"] or 0) + 1
    round_ = PairingRound.objects.create(programme=programme, number=number, held_on=today)
    people = {o.user_id: o.user for o in opt_ins}
    groups = pair_people(
        [Person(id=o.user_id, team=o.user.team) for o in opt_ins],
        met=history_of(selectors.earlier_groups(programme)),
        seed=f"{programme.pk}:{number}",
    )
    pairs = [
        Pair(
            round=round_,
            first_id=group[0],
            second_id=group[1],
            third_id=group[2] if len(group) > 2 else None,
            slot_timezone=people[group[0]].timezone,
            slot_start=suggested_slot(today, index, people[group[0]].timezone),
        )
        for index, group in enumerate(groups)
    ]
    pairs = Pair.objects.bulk_create(pairs, batch_size=1000)
    with organisation_settings_remembered():
        drafts = _introductions(
            pairs, [[people[pk] for pk in group] for group in groups], programme=programme, now=now
        )
    outbox_enqueue_many(drafts=drafts)
    return round_


def pairing_rounds_due(*, now: datetime | None = None) -> int:
    """Run every programme whose next round is due. Transaction: one per programme.
    Idempotent: a round moves its programme's next date on, so a second call finds nothing."""
    now = now or timezone.now()
    due = PairingProgramme.objects.filter(active=True, next_round_on__lte=timezone.localdate(now))
    count = 0
    for programme_id in due.values_list("id", flat=True):
        with transaction.atomic():
            locked = (
                PairingProgramme.objects.select_for_update()
                .filter(pk=programme_id, next_round_on__lte=timezone.localdate(now))
                .exists()
            )
            if locked and pairing_round_run(programme_id=programme_id, now=now) is not None:
                count += 1
    return count
