"""The recurrence part of the new-session form: how often, which day, until when."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.forms import DATE_INPUT, DateField
from events.series.recurrence import FREQUENCY_CHOICES, MAX_OCCURRENCES, Frequency, Recurrence

WEEKDAY_CHOICES = [
    ("", _("The day of the first session")),
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
NTH_CHOICES = [
    ("", _("As the first session")),
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]
DAY_CHOICES = (
    [("", _("As the first session"))]
    + [(str(day), str(day)) for day in range(1, 29)]
    + [("-1", _("the last day"))]
)


class RecurrenceForm(forms.Form):
    """How a new session repeats, if it does: a simple choice, never a free RRULE.

    Mixed into the new-session form (``events.sessions.forms.NewSessionForm``); its ``clean``
    runs after the session fields' and ``recurrence()`` gives what ``series_create`` takes.
    """

    ONCE, REPEATS = "once", "repeats"

    repeat = forms.ChoiceField(
        label=_("How often"),
        choices=[(ONCE, _("Once")), (REPEATS, _("Repeats (a series)"))],
        initial=ONCE,
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=FREQUENCY_CHOICES,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        required=False,
    )
    interval = forms.IntegerField(
        label=_("Every … weeks or months"), min_value=1, max_value=12, initial=1, required=False
    )
    weekday = forms.ChoiceField(label=_("Day of the week"), choices=WEEKDAY_CHOICES, required=False)
    nth = forms.ChoiceField(
        label=pgettext_lazy("which weekday of the month", "Which one"),
        choices=NTH_CHOICES,
        required=False,
        help_text=_(
            "For “monthly on the Nth weekday”, e.g. the second Wednesday. Empty: as the first "
            "session."
        ),
    )
    day = forms.ChoiceField(
        label=_("Day of the month"),
        choices=DAY_CHOICES,
        required=False,
        help_text=_("For “monthly on a day of the month”. Empty: as the first session."),
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        choices=[("count", _("After a number of sessions")), ("until", _("On a date"))],
        initial="count",
        widget=forms.RadioSelect,
        required=False,
    )
    until = DateField(label=_("Last date"), widget=DATE_INPUT, required=False)
    count = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=MAX_OCCURRENCES, required=False
    )

    RECURRENCE_FIELDS = ("frequency", "interval", "weekday", "nth", "day", "ends", "until", "count")

    @property
    def is_series(self) -> bool:
        return self.cleaned_data.get("repeat") == self.REPEATS

    def clean(self) -> dict:
        data = super().clean()
        if data.get("repeat") != self.REPEATS:
            return data
        if not data.get("frequency"):
            self.add_error("frequency", _("Choose how often the session repeats."))
        first = data.get("start_date")
        if data.get("frequency") == Frequency.MONTHLY_WEEKDAY and not data.get("nth") and first:
            # The first session's place in its month: the 9th on a Wednesday is the second one.
            nth = (first.day - 1) // 7 + 1
            data["nth"] = str(nth if nth <= 4 else -1)
        if data.get("frequency") == Frequency.MONTHLY_DAY and not data.get("day") and first:
            data["day"] = str(first.day if first.day <= 28 else -1)
        if data.get("frequency") == Frequency.MONTHLY_WEEKDAY and not data.get("nth"):
            self.add_error("nth", _("Choose the first to fourth, or the last, weekday."))
        if data.get("frequency") == Frequency.MONTHLY_DAY and not data.get("day"):
            self.add_error("day", _("Choose a day from 1 to 28, or the last day."))
        ends = data.get("ends")
        if ends == "count" and not data.get("count"):
            self.add_error("count", _("Say how many sessions the series has."))
        elif ends != "count" and not data.get("until"):
            self.add_error(
                "until",
                _("Say until when the series runs (at most %(max)d sessions).")
                % {"max": MAX_OCCURRENCES},
            )
        # A deadline is a moment, not a rule: series occurrences have none.
        data["rsvp_deadline"] = None
        return data

    def recurrence(self) -> Recurrence:
        data = self.cleaned_data
        by_count = data.get("ends") == "count"
        return Recurrence(
            frequency=data["frequency"],
            interval=data.get("interval") or 1,
            weekday=int(data["weekday"]) if data.get("weekday") else None,
            nth=int(data["nth"]) if data.get("nth") else None,
            day=int(data["day"]) if data.get("day") else None,
            until=None if by_count else data.get("until"),
            count=data.get("count") if by_count else None,
        )
