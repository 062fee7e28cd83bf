"""What an intervision group agreed (its settings) and who accepted the group agreement."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from intervision.models.methods import Method, SelectionMode


class GroupSettings(models.Model):
    """What an intervision group agreed: cadence, selection mode, the group agreement."""

    group = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="intervision_settings"
    )
    cadence_weeks = models.PositiveSmallIntegerField(
        _("weeks between sessions at most"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    selection_mode = models.CharField(
        _("how a case is chosen"),
        max_length=16,
        choices=SelectionMode.choices,
        default=SelectionMode.VOTE,
    )
    default_method = models.ForeignKey(
        Method,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default method"),
    )
    rotate_facilitator = models.BooleanField(_("the facilitator role rotates"), default=False)
    agreement = models.TextField(_("group agreement"), blank=True)
    agreement_version = models.PositiveIntegerField(default=1)
    auto_close_hours = models.PositiveSmallIntegerField(
        _("close automatically after (hours)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    private_copy_days = models.PositiveSmallIntegerField(
        _("keep the presenter's private copy (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("intervision group settings")
        verbose_name_plural = _("intervision group settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadence_weeks__gte=1, cadence_weeks__lte=26),
                name="group_cadence_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    selection_mode__in=["vote", "urgency", "rotation", "facilitator"]
                ),
                name="group_selection_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.group)


class AgreementAcceptance(models.Model):
    group = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user", "version"], name="agreement_accepted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.group_id} v{self.version}"
