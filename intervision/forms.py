from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms import DateField
from intervision.models import LiveItem, SelectionMode


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    question = forms.CharField(
        label=_("Your question, in the first person"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Current, concrete, in the first person: “How do I …?”"),
    )
    pitch = forms.CharField(
        label=_("Pitch (at most three sentences)"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        initial=3,
        help_text=_("1 = can wait, 5 = urgent"),
    )
    no_client_data = forms.BooleanField(
        label=_("My case holds no names or traceable client data."), required=True
    )


class SettingsForm(forms.Form):
    cadence_weeks = forms.IntegerField(
        label=_("Weeks between sessions at most"), min_value=1, max_value=26
    )
    selection_mode = forms.ChoiceField(
        label=_("How a case is chosen"), choices=SelectionMode.choices
    )
    default_method = forms.TypedChoiceField(
        label=_("Default method"), coerce=int, required=False, empty_value=None
    )
    rotate_facilitator = forms.BooleanField(label=_("The facilitator role rotates"), required=False)
    agreement = forms.CharField(
        label=_("Group agreement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Every member accepts it again when it changes."),
    )
    auto_close_hours = forms.IntegerField(
        label=_("Close and erase automatically after (hours)"), min_value=1, max_value=168
    )
    private_copy_days = forms.IntegerField(
        label=_("Keep the presenter's private copy (days)"), min_value=1, max_value=365
    )

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_method"].choices = [("", "—")] + [(m.pk, m.name) for m in methods]


class ScheduleForm(forms.Form):
    date = DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=30, max_value=480)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )
    method = forms.TypedChoiceField(label=_("Method"), coerce=int)
    facilitator = forms.TypedChoiceField(
        label=_("Facilitator"), coerce=int, required=False, empty_value=None
    )
    timekeeper = forms.TypedChoiceField(
        label=_("Timekeeper"), coerce=int, required=False, empty_value=None
    )
    every_weeks = forms.IntegerField(
        label=_("Repeat every (weeks)"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Empty: one session. A series gets its presenters from the rota."),
    )
    count = forms.IntegerField(
        label=_("Number of sessions in the series"), min_value=2, max_value=12, required=False
    )
    presenter = forms.TypedChoiceField(
        label=_("Case presenter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Empty: the rota proposes the presenter."),
    )

    def __init__(self, *args, methods=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.pk, m.name) for m in methods]
        people = [("", "—")] + [(m.user_id, m.user.name) for m in members]
        for name in ("facilitator", "timekeeper", "presenter"):
            self.fields[name].choices = people


class LiveItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=LiveItem.Kind.choices)
    text = forms.CharField(
        label=_("Text"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    keep = forms.ChoiceField(
        label=_("Keep a takeaway?"), choices=LiveItem.Keep.choices, required=False
    )


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How did the process go? (1–5)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
    )
    tip = forms.CharField(label=_("Tip"), max_length=280, required=False)
    top = forms.CharField(label=_("Top"), max_length=280, required=False)


class ActionForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    text = forms.CharField(label=_("What"), max_length=280)
    due_date = DateField(label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(m.user_id, m.user.name) for m in members]
