"""The insights pages' period choice."""

from django import forms
from django.utils.translation import gettext_lazy as _


class InsightsForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[
            (3, _("last 3 months")),
            (6, _("last 6 months")),
            (12, _("last 12 months")),
            (24, _("last 24 months")),
        ],
        initial=12,
        required=False,
        empty_value=12,
    )
    download = forms.ChoiceField(
        choices=[
            (key, key)
            for key in ("members", "sessions", "formats", "takeaways", "teams", "participation")
        ],
        required=False,
    )
