import zoneinfo
from datetime import date

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership, Organisation, User, normalise_domain
from communities.organisation import sso_from_environment
from communities.personal_data import ERASURE_QUESTIONS
from communities.services.accounts import MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPES
from communities.services.organisation import (
    LOGO_CONTENT_TYPES,
    MAX_LOGO_BYTES,
    ORGANISATION_FIELDS,
)


class FormRenderer(TemplatesSetting):
    """Forms render with the project's templates; ``field.as_field_group`` uses the one field
    template every page shares (label, widget, help text, errors; radio groups as fieldsets)."""

    field_template_name = "forms/field.html"


# The browser's own date and time pickers (ISO values, so no locale guessing).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# Dates people may type: far enough for any plan, near enough that adding a time zone's offset
# or a series' interval never leaves Python's calendar (9999-12-31 in a western zone does).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class DateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE (every date field of the project)."""

    default_validators = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


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
    calendar_delivery = forms.ChoiceField(
        label=_("How sessions reach my calendar"),
        choices=User.CalendarDelivery.choices,
        required=False,
        help_text=_(
            "Invitations arrive as meeting requests in your mail (Outlook, Gmail, Apple). "
            "With the subscription only, no invitations are sent to you."
        ),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        initial = {
            "display_name": user.display_name,
            "language": user.language,
            "timezone": user.timezone,
            "team": user.team,
            "calendar_delivery": user.calendar_delivery,
        }
        return cls(data=data, initial=initial)


class ProfilePhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 256 KB. Colleagues see it beside your name."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload is None:
            return None
        image_format = getattr(getattr(upload, "image", None), "format", "")
        content_type = PHOTO_CONTENT_TYPES.get(image_format or "")
        if content_type is None or upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("The photo must be a PNG, JPEG or WebP image of at most 256 KB."),
                code="photo",
            )
        upload.seek(0)
        return upload.read(), content_type


class EraseAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # What the topics ask first (e.g. what happens to shared takeaways), when it applies.
        for question in ERASURE_QUESTIONS.values():
            if question.applies(user):
                self.fields[question.name] = forms.ChoiceField(
                    label=question.label,
                    help_text=question.help_text,
                    choices=question.choices,
                    widget=forms.RadioSelect,
                )
        self.order_fields([name for name in self.fields if name != "confirm_email"])

    @property
    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ERASURE_QUESTIONS if name in self.fields}

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
    """A pasted list of addresses; people picked by name come as ``people`` ids (the view)."""

    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Paste one or more addresses: one per line, or separated by commas."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[])

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)

        roles = list(Membership.Role.choices)
        if not community.is_intervision:
            roles = [r for r in roles if r[0] != Membership.Role.FACILITATOR]
        self.fields["role"].choices = roles


# --- The organisation and its people (staff) -------------------------------------------------


class LinesField(forms.CharField):
    """A list of short values written one per line (commas work too)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, normalise=str.strip, **kwargs):
        self.normalise = normalise
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        items = [self.normalise(item) for item in text.replace(",", "\n").splitlines()]
        return sorted({item for item in items if item})


class ColourInput(forms.TextInput):
    """The browser's colour picker; its value is always ``#rrggbb``."""

    input_type = "color"


DEFAULT_PRIMARY_COLOUR = "#0b5394"


class OrganisationForm(forms.ModelForm):
    """The organisation settings (staff). Saving goes through ``organisation_update``."""

    allowed_signup_domains = LinesField(
        label=_("Allowed sign-up domains"),
        normalise=normalise_domain,
        help_text=_("One per line, e.g. example.org. Empty: any address may sign up."),
    )
    sso_allowed_tenants = LinesField(
        label=_("Allowed tenants"),
        help_text=_(
            "Microsoft Entra tenant ids or Google Workspace domains, one per line. Empty: no "
            "tenant check."
        ),
    )
    sso_issuer = forms.URLField(
        label=_("OpenID Connect issuer"),
        required=False,
        assume_scheme="https",
        help_text=Organisation._meta.get_field("sso_issuer").help_text,
    )
    sso_client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the current secret."),
    )
    logo_upload = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 512 KB."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS  # the secret is declared above: written only when typed
        widgets = {
            "default_timezone": forms.Select(choices=[(tz, tz) for tz in COMMON_TIMEZONES]),
            "primary_colour": ColourInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A colour picker cannot be empty: without a colour of its own it starts at the default.
        if not self.initial.get("primary_colour"):
            self.initial["primary_colour"] = DEFAULT_PRIMARY_COLOUR
        self.fields["primary_colour"].help_text = _(
            "The header, buttons and links take this colour. White text on it needs a contrast "
            "of at least 4.5:1."
        )

    def clean_primary_colour(self) -> str:
        return self.cleaned_data["primary_colour"].strip().lower()

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload is None:
            return None
        image_format = getattr(getattr(upload, "image", None), "format", "")
        content_type = LOGO_CONTENT_TYPES.get(image_format or "")
        if content_type is None or upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
                code="logo",
            )
        upload.seek(0)
        return upload.read(), content_type

    def clean(self):
        cleaned = super().clean()
        sso_configured = sso_from_environment() is not None or bool(
            cleaned.get("sso_issuer") and cleaned.get("sso_client_id")
        )
        if cleaned.get("sso_only") and not sso_configured:
            self.add_error(
                "sso_only",
                _(
                    "Single sign-on only needs a single sign-on provider: fill in its issuer "
                    "and client id first."
                ),
            )
        return cleaned

    def changes(self) -> dict:
        """What to hand to ``organisation_update``: every field, the secret only when typed."""
        data = {
            name: self.cleaned_data[name]
            for name in ORGANISATION_FIELDS
            if name != "sso_client_secret" and name in self.cleaned_data
        }
        if self.cleaned_data.get("sso_client_secret"):
            data["sso_client_secret"] = self.cleaned_data["sso_client_secret"]
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("all", _("everyone")),
            ("active", _("active")),
            ("awaiting", _("waiting for approval")),
            ("deactivated", _("deactivated")),
            ("staff", _("staff")),
        ],
    )
