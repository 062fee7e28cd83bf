"""Demo series (development only; see ``seed_demo``): a monthly brown bag and a weekly Lean
Coffee, made through the services once and found again by their stable UIDs afterwards."""

from datetime import time, timedelta

from django.utils import timezone

from communities.demo import DEMO_DOMAIN, local, next_weekday, second_weekday_on_or_after
from communities.models import Community, User
from events.models import Series, Session
from events.series.recurrence import Frequency, Recurrence, occurrence_starts
from events.series.services.scheduling import series_create, series_materialise
from events.sessions.services.scheduling import SessionDetails


def _series(
    key: str,
    *,
    community: Community,
    actor: User,
    details: SessionDetails,
    recurrence: Recurrence,
) -> Series:
    """A series made through the service once, found again by its stable UID afterwards.
    All its (few) occurrences are materialised, so the demo is the same on any day."""
    uid = f"demo-series-{key}@{DEMO_DOMAIN}"
    series = Series.objects.filter(uid=uid).first()
    if series is None:
        series = series_create(
            community=community, actor=actor, details=details, recurrence=recurrence
        )
        series.uid = uid
        series.save(update_fields=["uid"])
    starts = occurrence_starts(series.rrule, first_start=series.first_start, zone=series.timezone)
    series_materialise(series=series, until=starts[-1] + timedelta(days=1))
    return series


def seed(people: dict[str, User], communities: dict[str, Community]) -> None:
    """A monthly brown-bag series and a weekly Lean Coffee."""
    today = timezone.localdate()
    python, data = communities["python-gilde"], communities["data-en-ai"]
    # The first second-Wednesday-of-the-month after the four weekly brown bags above.
    second_wednesday = second_weekday_on_or_after(today + timedelta(days=35), 2)
    _series(
        "brownbag-monthly",
        community=python,
        actor=people["sanne"],
        details=SessionDetails(
            title="Brown bag: Python in de praktijk",
            format=Session.Format.BROWN_BAG,
            description="Elke tweede woensdag: één collega vertelt, de rest luncht en vraagt.",
            start=local(second_wednesday, time(12, 0)),
            end=local(second_wednesday, time(13, 0)),
            location="Stadskantoor, zaal 4.12",
            online_url="https://meet.example.org/python-gilde",
            capacity=25,
            host_ids=(people["sanne"].pk, people["pieter"].pk),
        ),
        recurrence=Recurrence(frequency=Frequency.MONTHLY_WEEKDAY, nth=2, weekday=2, count=6),
    )
    friday = next_weekday(today + timedelta(days=2), 4)
    _series(
        "lean-coffee",
        community=data,
        actor=people["sanne"],
        details=SessionDetails(
            title="Lean Coffee",
            format=Session.Format.MEETUP,
            description="Wie er is, bepaalt de agenda: onderwerpen op post-its, stemmen, "
            "praten in blokjes van acht minuten.",
            start=local(friday, time(8, 30)),
            end=local(friday, time(9, 15)),
            location="Koffiecorner, 3e verdieping",
            host_ids=(people["fatima"].pk,),
        ),
        recurrence=Recurrence(frequency=Frequency.WEEKLY, count=8),
    )
