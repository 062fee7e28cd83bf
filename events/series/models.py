"""Recurring sessions and the standing answers for a whole series."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import validate_timezone
from events.sessions.models import new_calendar_uid


class Series(models.Model):
    """A recurring session: an RRULE in the session's timezone with its own calendar UID.

    Occurrences are materialised as Session rows up to ``materialised_until`` (a rolling horizon
    kept filled by a periodic task). Splitting ("this and following") ends this series (its
    RRULE gets an UNTIL) and starts a new one with a new UID.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="series"
    )
    rrule = models.CharField(max_length=255)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    first_start = models.DateTimeField()
    duration = models.DurationField()
    uid = models.CharField(max_length=255, unique=True, default=new_calendar_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    materialised_until = models.DateTimeField(null=True, blank=True)
    ended = models.BooleanField(default=False)
    # What new occurrences copy.
    format = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    members_only = models.BooleanField(default=False)
    max_guests = models.PositiveSmallIntegerField(default=0)
    online_capacity = models.PositiveIntegerField(null=True, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_series", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_series",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class SeriesRsvp(models.Model):
    """A person's standing answer for a whole series ("going to all upcoming").

    Occurrences materialised later get this answer too (through ``rsvp_set``, so capacity and
    the waitlist apply). Answering one occurrence differently is an exception that leaves this
    row alone; "stop going to the series" deletes it.
    """

    class Status(models.TextChoices):
        GOING = "going", _("going")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="standing_rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_rsvps"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.GOING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("series RSVP")
        verbose_name_plural = _("series RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="series_rsvp_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(status__in=["going"]), name="series_rsvp_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.series} ({self.status})"
