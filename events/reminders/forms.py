"""Forms of reminder preferences and a coordinator's message to members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import ReminderPreference
from events.reminders.models import BEFORE_CHOICES
from events.reminders.selectors import Preferences

OFF = ""
BEFORE_FIELD_CHOICES = [(OFF, _("no reminder")), *[(str(v), label) for v, label in BEFORE_CHOICES]]


class ReminderPreferencesForm(forms.Form):
    first_before = forms.TypedChoiceField(
        label=_("First reminder before a session"),
        choices=BEFORE_FIELD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("“1 day before” comes at the same time of day, the day before."),
    )
    second_before = forms.TypedChoiceField(
        label=_("Second reminder before a session"),
        choices=BEFORE_FIELD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    rsvp_nudge = forms.BooleanField(
        label=_("Remind me to answer before the RSVP deadline"), required=False
    )
    new_sessions = forms.ChoiceField(
        label=_("New sessions in my communities"),
        choices=ReminderPreference.NewSessions.choices,
    )
    announcements = forms.BooleanField(label=_("Messages from coordinators"), required=False)
    takeaway_prompts = forms.BooleanField(
        label=_("Ask me afterwards what I learned"), required=False
    )
    digest = forms.BooleanField(label=_("A weekly digest on Monday morning"), required=False)

    @classmethod
    def for_preferences(cls, prefs: Preferences, data=None) -> "ReminderPreferencesForm":
        initial = {
            "first_before": "" if prefs.first_before is None else str(prefs.first_before),
            "second_before": "" if prefs.second_before is None else str(prefs.second_before),
            "rsvp_nudge": prefs.rsvp_nudge,
            "new_sessions": prefs.new_sessions,
            "announcements": prefs.announcements,
            "takeaway_prompts": prefs.takeaway_prompts,
            "digest": prefs.digest,
        }
        return cls(data=data, initial=initial)


class AnnouncementForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
