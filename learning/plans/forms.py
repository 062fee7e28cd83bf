import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from learning.plans.services import MAX_THEMES, ThemeLine

_LINE = re.compile(r"^(?P<name>.*?)(?:\s*:\s*(?P<count>\d{1,3}))?$")


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the community wants to reach this year (Markdown)."),
    )
    themes = forms.CharField(
        label=_("Planned themes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One theme per line, with the number of sessions you plan after a colon, e.g. "
            "“Testing: 4”. A session counts towards a theme whose name is in its title."
        ),
    )
    time_budget_hours = forms.IntegerField(
        label=_("Time budget (hours)"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_(
            "Hours agreed with management for the year: each session counts its length × "
            "the people who came."
        ),
    )

    def clean_themes(self) -> list[ThemeLine]:
        lines = []
        for raw in self.cleaned_data["themes"].splitlines():
            match = _LINE.match(raw.strip())
            name = match["name"].strip() if match else ""
            if not name:
                continue
            if len(name) > 100:
                raise ValidationError(_("A theme's name is at most 100 characters."))
            lines.append(ThemeLine(name=name, planned_sessions=int(match["count"] or 0)))
        if len(lines) > MAX_THEMES:
            raise ValidationError(_("At most %(count)s themes.") % {"count": MAX_THEMES})
        return lines


def themes_as_text(plan) -> str:
    if plan is None:
        return ""
    return "\n".join(
        f"{t.name}: {t.planned_sessions}" if t.planned_sessions else t.name
        for t in plan.themes.all()
    )
