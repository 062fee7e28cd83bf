from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import Takeaway


class OfferForm(forms.Form):
    team = forms.CharField(label=_("Team"), max_length=150)
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("“Come and see how Wijkteam Noord works”")
    )
    description = forms.CharField(
        label=_("What you will see"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    location = forms.CharField(label=_("Where"), max_length=200)


class SlotForm(forms.Form):
    start = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=20, initial=2)
    zone = forms.ChoiceField(label=_("Time zone"), initial=settings.TIME_ZONE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [(z, z) for z in sorted(available_timezones())]


class ReflectionForm(forms.Form):
    seen = forms.CharField(
        label=_("What did you see?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    surprised = forms.CharField(
        label=_("What surprised you?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    take_back = forms.CharField(
        label=_("What do you take back to your own team?"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"), choices=Takeaway.Visibility.choices, initial="organisation"
    )
