import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communities.models import User

COMMON_TIMEZONES = sorted(
    tz
    for tz in zoneinfo.available_timezones()
    if tz.startswith(("Europe/", "America/", "Asia/", "Africa/", "Australia/")) or tz == "UTC"
)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=[(tz, tz) for tz in COMMON_TIMEZONES]
    )
    team = forms.CharField(label=_("Team"), max_length=150, required=False)

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        initial = {
            "display_name": user.display_name,
            "language": user.language,
            "timezone": user.timezone,
            "team": user.team,
        }
        return cls(data=data, initial=initial)


class EraseAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("That is not your e-mail address."))
        return value
