"""The audit log's filter."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from communities.audit.events import EVENTS

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class AuditFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("everything"))] + [(code, label) for code, label in EVENTS.items()],
    )
    q = forms.CharField(
        label=_("Who or what"),
        max_length=100,
        required=False,
        help_text=_("A word of the e-mail address of who acted, or of what it concerned."),
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].strip()
        if "\x00" in value:
            raise forms.ValidationError(_("Remove the invisible characters."), code="null")
        return value

    def filters(self) -> dict:
        """The selector's keyword arguments (nothing when the filter is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "event": data["event"] or "",
            "query": data["q"],
            "since": data["since"],
            "until": data["until"],
        }
