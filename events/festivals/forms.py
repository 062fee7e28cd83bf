"""Forms of the festival pages (most festival pages read their POST with plain fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.services.organisation import LOGO_CONTENT_TYPES
from events.models import StandMaterial


class SpeakerProfileForm(forms.Form):
    """A festival speaker's own page: bio and photo."""

    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown"),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 512 KB."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload is None:
            return None
        image_format = getattr(getattr(upload, "image", None), "format", "")
        content_type = LOGO_CONTENT_TYPES.get(image_format or "")
        if content_type is None or upload.size > 512 * 1024:
            raise forms.ValidationError(
                _("The photo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
                code="photo",
            )
        upload.seek(0)
        return upload.read(), content_type


class StandMaterialForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind"), choices=StandMaterial.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "A web address, or the address of a knowledge article in this app: visitors who may "
            "not read the article do not see it."
        ),
    )
    takeaway_id = forms.IntegerField(
        label=_("Or a takeaway (its number)"), required=False, min_value=1, max_value=2**31 - 1
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("takeaway_id")):
            raise forms.ValidationError(_("Give a link or a takeaway."))
        return data


class StandForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(
        label=_("Place"), max_length=100, help_text=_("E.g. “Hall A · stand 3”")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hosts = forms.CharField(
        label=_("Hosts"),
        required=False,
        max_length=2000,
        help_text=_("The hosts' e-mail addresses, separated by commas."),
    )

    def clean_hosts(self) -> list[str]:
        return [
            part.strip().lower() for part in self.cleaned_data["hosts"].split(",") if part.strip()
        ]


class StandTimeForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
