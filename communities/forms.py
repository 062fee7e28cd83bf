import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communities.models import Community, User

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


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Community.Kind.choices], required=False
    )
    topic = forms.SlugField(label=_("Topic"), max_length=60, required=False)
    mine = forms.BooleanField(label=_("Only my communities"), required=False)


def topics_as_text(community: Community) -> str:
    return ", ".join(topic.name for topic in community.topics.all())


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Community.Kind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=280, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=600,
        required=False,
        help_text=_("Separate topics with commas."),
    )
    cadence = forms.CharField(label=_("How often you meet"), max_length=120, required=False)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Community.Visibility.choices)
    join_policy = forms.ChoiceField(label=_("Who may join"), choices=Community.JoinPolicy.choices)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Kind and address are fixed once people link to the community.
            del self.fields["kind"]
            del self.fields["slug"]

    def topic_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("topics", "").split(",") if name.strip()]


class JoinRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why would you like to join?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[])

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        from communities.models import Membership

        roles = list(Membership.Role.choices)
        if not community.is_intervision:
            roles = [r for r in roles if r[0] != Membership.Role.FACILITATOR]
        self.fields["role"].choices = roles
