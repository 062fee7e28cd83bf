"""Buddy and coffee pairing: opt-in programmes (a community's or the organisation's) that pair
their participants every 2 or 4 weeks."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class PairingProgramme(models.Model):
    class Cadence(models.IntegerChoices):
        TWO_WEEKS = 2, _("every 2 weeks")
        FOUR_WEEKS = 4, _("every 4 weeks")

    community = models.OneToOneField(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pairing_programme",
    )
    name = models.CharField(_("name"), max_length=120)
    cadence_weeks = models.PositiveSmallIntegerField(
        _("how often"), choices=Cadence.choices, default=Cadence.FOUR_WEEKS
    )
    next_round_on = models.DateField(_("next round"))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_weeks__in=[2, 4]), name="pairing_cadence_2_or_4_weeks"
            ),
            # One organisation-wide programme (community empty); one per community.
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(community__isnull=True),
                name="pairing_one_organisation_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PairingOptIn(models.Model):
    """A person taking part. ``skip_next`` leaves out the next round only; ``paused`` every
    round until they resume."""

    programme = models.ForeignKey(
        PairingProgramme, on_delete=models.CASCADE, related_name="opt_ins"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairing_opt_ins"
    )
    skip_next = models.BooleanField(default=False)
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="pairing_opt_in_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.programme_id}"


class PairingRound(models.Model):
    programme = models.ForeignKey(PairingProgramme, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    held_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="pairing_round_once"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} #{self.number}"


class Pair(models.Model):
    """Two people (three when the round had an odd number) and the slot suggested to them."""

    round = models.ForeignKey(PairingRound, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    third = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    slot_start = models.DateTimeField()
    slot_timezone = models.CharField(max_length=64, default=settings.TIME_ZONE)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="pair_of_two_people"),
            models.CheckConstraint(
                condition=Q(third__isnull=True) | (~Q(third=F("first")) & ~Q(third=F("second"))),
                name="pair_trio_of_three_people",
            ),
            models.UniqueConstraint(fields=["round", "first"], name="pair_first_once_a_round"),
            models.UniqueConstraint(fields=["round", "second"], name="pair_second_once_a_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.member_ids}"

    @property
    def member_ids(self) -> list[int]:
        return [pk for pk in (self.first_id, self.second_id, self.third_id) if pk]

    @property
    def uid(self) -> str:
        return f"pairing-{self.pk}@kennisplein"
