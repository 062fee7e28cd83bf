"""The intervision part of ``seed_demo`` (idempotent): six members, a method per session, a
history of past presenters, and a case submitted for the next session."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Session
from intervision.catalogue import load_catalogue
from intervision.models import (
    AgreementAcceptance,
    Attendance,
    Case,
    ContentKey,
    GroupSettings,
    IntervisionSession,
    Method,
    Phase,
)

GROUP = "intervisie-sociaal-domein"
# Joined in this order: the rota's tie-break.
MEMBERS = ["fatima", "emma", "anouk", "lotte", "youssef", "sanne"]
PAST = [  # (weeks ago, method code, presenter, theme)
    (18, "incidentmethode", "emma", "Grenzen stellen bij een veeleisende aanvrager"),
    (12, "kollegiale-beratung", "anouk", "Nee zeggen tegen de eigen leidinggevende"),
    (6, "roddelmethode", "lotte", "Omgaan met een escalerende klant aan de balie"),
]
AGREEMENT = (
    "Wat hier besproken wordt, blijft in de groep. We brengen casussen in zonder namen of "
    "herleidbare cliëntgegevens. We stellen eerst open vragen; advies alleen in de adviesronde."
)


def _local(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def seed(people: dict[str, User], communities: dict[str, Community]) -> None:
    group = communities[GROUP]
    now = timezone.now()
    for index, key in enumerate(MEMBERS):
        Membership.objects.update_or_create(
            user=people[key],
            community=group,
            defaults={
                "role": "facilitator" if key == "fatima" else "member",
                "state": Membership.State.ACTIVE,
                "joined_at": now - timedelta(days=200 - index),
            },
        )
    if not Method.objects.filter(group__isnull=True).exists():
        # The data migration ships the catalogue; a flushed test database lacks it.
        load_catalogue(Method, Phase)
    methods = {m.code: m for m in Method.objects.filter(group__isnull=True)}
    GroupSettings.objects.update_or_create(
        group=group,
        defaults={
            "agreement": AGREEMENT,
            "agreement_version": 1,
            "default_method": methods["incidentmethode"],
        },
    )
    for key in MEMBERS:
        AgreementAcceptance.objects.get_or_create(group=group, user=people[key], version=1)
    today = timezone.localdate()
    for weeks, code, presenter, theme in PAST:
        day = today - timedelta(weeks=weeks)
        session, _created = Session.objects.update_or_create(
            uid=f"demo-intervisie-past-{weeks}@kennisplein.test",
            defaults={
                "community": group,
                "format": Session.Format.INTERVISION,
                "title": "Intervisie",
                "start": _local(day, time(13, 30)),
                "end": _local(day, time(15, 30)),
                "location": "Spreekkamer 3",
                "capacity": 8,
                "members_only": True,
                "created_by": people["fatima"],
            },
        )
        isession, _created = IntervisionSession.objects.update_or_create(
            session=session,
            defaults={
                "group": group,
                "method": methods[code],
                "presenter": people[presenter],
                "facilitator": people["fatima"],
                "timekeeper": people["sanne"],
                "state": IntervisionSession.State.CLOSED,
                "closed_at": session.end,
                "theme": theme,
            },
        )
        for key in MEMBERS:
            Attendance.objects.update_or_create(
                isession=isession,
                user=people[key],
                defaults={"present": not (key == "youssef" and weeks == 12)},
            )
    upcoming = Session.objects.filter(uid="demo-intervisie-1@kennisplein.test").first()
    if upcoming is None:
        return
    isession, _created = IntervisionSession.objects.update_or_create(
        session=upcoming,
        defaults={
            "group": group,
            "method": methods["incidentmethode"],
            "presenter": people["youssef"],
            "facilitator": people["fatima"],
            "timekeeper": people["emma"],
        },
    )
    if not Case.objects.filter(group=group, presenter=people["youssef"]).exists():
        Case.objects.create(
            content_key=ContentKey.objects.create_key(),
            group=group,
            isession=isession,
            presenter=people["youssef"],
            title="Een melding die ik te laat doorzette",
            question="Hoe zorg ik dat ik twijfel eerder uitspreek in het team?",
            pitch="Ik zag signalen maar wachtte af. Achteraf had ik eerder moeten bellen.",
            urgency=3,
        )
