"""Forms of the token and webhook pages."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import WEBHOOK_EVENTS

SCOPES = [
    ("read", _("read: everything you may see")),
    ("rsvp", _("rsvp: answer for sessions, join and leave communities")),
    ("manage", _("manage: schedule, edit and cancel sessions you run")),
]
LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What uses this token"))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=SCOPES, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )
    lifetime = forms.ChoiceField(label=_("Valid for"), choices=LIFETIMES, initial="90")
    service = forms.BooleanField(
        label=_("Organisation service token (staff)"),
        required=False,
        help_text=_("For the organisation's systems; every staff member can see and revoke it."),
    )

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["service"]

    def expires_at(self):
        return timezone.now() + timedelta(days=int(self.cleaned_data["lifetime"]))


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", help_text=_("Where we POST events")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event, event) for event in WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )
    community = forms.ChoiceField(label=_("For"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, communities=(), staff: bool = False, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {community.slug: community for community in communities}
        choices = [("", _("the whole organisation"))] if staff else []
        choices += [(slug, community.name) for slug, community in self.communities.items()]
        self.fields["community"].choices = choices
        if editing:
            del self.fields["community"]
        else:
            del self.fields["active"]

    def chosen_community(self):
        return self.communities.get(self.cleaned_data.get("community") or "")
