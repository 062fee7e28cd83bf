from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from directory.models import CommunityLink


class DirectoryTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("e.g. Entra ID"))


class CommunityLinkForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.filter(archived=False).order_by("name")
    )
    group_name = forms.CharField(
        label=_("Directory group"),
        max_length=255,
        help_text=_("The group's name or id as the directory sends it (Entra: its object id)."),
    )
    role = forms.ChoiceField(label=_("Its people become"), choices=CommunityLink.Role.choices)
