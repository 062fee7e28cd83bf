from django import forms
from django.utils.translation import gettext_lazy as _

from learning.journeys.models import MAX_DAY_OFFSET, JourneyStep


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What the newcomer will know at the end"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    community = forms.TypedChoiceField(label=_("For"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, communities=(), allow_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.pk, c.name) for c in communities]
        if allow_organisation:
            choices.insert(0, ("", _("The whole organisation")))
        self.fields["community"].choices = choices
        self.fields["community"].required = not allow_organisation


class StepForm(forms.Form):
    day_offset = forms.IntegerField(
        label=_("Day after the start"), min_value=0, max_value=MAX_DAY_OFFSET, initial=0
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=JourneyStep.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a checklist: one item a line."),
    )
    url = forms.CharField(
        label=_("Link in the app"),
        max_length=300,
        required=False,
        help_text=_("For example /communities/python-gilde/ or /takeaways/?q=onboarding"),
    )
    session = forms.TypedChoiceField(
        label=_("Session to attend"), coerce=int, empty_value=None, required=False
    )
    person = forms.TypedChoiceField(
        label=_("Person to meet"), coerce=int, empty_value=None, required=False
    )
    article = forms.TypedChoiceField(
        label=_("Article to read"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, sessions=(), people=(), articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "—")] + [
            (s.pk, f"{s.title} ({s.start:%d-%m-%Y})") for s in sessions
        ]
        self.fields["person"].choices = [("", "—")] + [(p.pk, p.name) for p in people]
        self.fields["article"].choices = [("", "—")] + [(a.pk, a.title) for a in articles]


class StartForm(forms.Form):
    newcomer = forms.TypedChoiceField(label=_("Newcomer"), coerce=int)
    buddy = forms.TypedChoiceField(label=_("Buddy"), coerce=int)
    supervisor = forms.TypedChoiceField(label=_("Workplace supervisor"), coerce=int)
    start_date = forms.DateField(
        label=_("First working day"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.name) for p in people]
        for name in ("newcomer", "buddy", "supervisor"):
            self.fields[name].choices = choices
