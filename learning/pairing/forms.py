from django import forms
from django.utils.translation import gettext_lazy as _

from learning.pairing.models import PairingProgramme


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, initial=_("Coffee pairing"))
    community = forms.TypedChoiceField(
        label=_("Who takes part"), coerce=int, empty_value=None, required=False
    )
    cadence_weeks = forms.TypedChoiceField(
        label=_("How often"), coerce=int, choices=PairingProgramme.Cadence.choices, initial=4
    )
    first_round_on = forms.DateField(
        label=_("First round"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, communities=(), allow_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.pk, c.name) for c in communities]
        if allow_organisation:
            choices.insert(0, ("", _("The whole organisation")))
        self.fields["community"].choices = choices
        self.fields["community"].required = not allow_organisation
