"""Forms of "wie weet wat": they validate input and build what the services take."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communities.forms import DATE_INPUT, TIME_INPUT
from communities.models import Community
from events.sessions.forms import SCHEDULABLE_FORMATS, local_datetime
from knowledge.models import ExpertiseProfile
from knowledge.rules import BODY_MAX, POLL_MAX_OPTIONS, TITLE_MAX


class ExpertiseForm(forms.ModelForm):
    topics = forms.CharField(
        label=_("Topics I can help with"),
        max_length=600,
        required=False,
        help_text=_("Separate them with commas, e.g. “Omgevingswet, pytest, toegankelijkheid”."),
        widget=forms.TextInput(attrs={"list": "topic-suggestions", "autocomplete": "off"}),
    )

    class Meta:
        model = ExpertiseProfile
        fields = ["listed", "show_evidence", "route_questions", "mail_questions"]


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Community) -> str:
        return obj.name


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Details"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you tried, what you need. No names or client data."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Comma-separated; colleagues who listed these topics see your question."),
    )
    community = CommunityChoiceField(
        label=_("Where"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    anonymous = forms.BooleanField(
        label=_("Ask anonymously"),
        required=False,
        help_text=_(
            "Only the community's coordinators see your question first, without your name; "
            "they post it for you."
        ),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and not data.get("community"):
            self.add_error("community", _("Choose the community whose coordinators it goes to."))
        return data


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class WishForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("For example: “A brown bag on the Omgevingswet”."),
    )
    description = forms.CharField(
        label=_("What you would like to learn"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    community = CommunityChoiceField(label=_("Community"), queryset=Community.objects.none())

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class PollForm(forms.Form):
    """Up to six candidate dates (date + start + end time) and where it would be."""

    format = forms.ChoiceField(label=_("Format"), choices=SCHEDULABLE_FORMATS)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=200, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, POLL_MAX_OPTIONS + 1):
            self.fields[f"date_{index}"] = forms.DateField(
                label=_("Date %(n)d") % {"n": index}, widget=DATE_INPUT, required=False
            )
            self.fields[f"start_{index}"] = forms.TimeField(
                label=_("Start %(n)d") % {"n": index}, widget=TIME_INPUT, required=False
            )
            self.fields[f"end_{index}"] = forms.TimeField(
                label=_("End %(n)d") % {"n": index}, widget=TIME_INPUT, required=False
            )

    def option_rows(self):
        return [
            (self[f"date_{i}"], self[f"start_{i}"], self[f"end_{i}"])
            for i in range(1, POLL_MAX_OPTIONS + 1)
        ]

    def clean(self):
        data = super().clean()
        options = []
        for index in range(1, POLL_MAX_OPTIONS + 1):
            day, start, end = (data.get(f"{k}_{index}") for k in ("date", "start", "end"))
            if day is None and start is None:
                continue
            if day is None or start is None:
                self.add_error(f"date_{index}", _("Give a date and a start time."))
                continue
            try:
                begin = local_datetime(day, start, settings.TIME_ZONE)
                finish = local_datetime(day, end, settings.TIME_ZONE) if end else None
            except forms.ValidationError as error:
                self.add_error(f"start_{index}", error)
                continue
            options.append((begin, finish or begin + timedelta(hours=1)))
        data["options"] = options
        if not data.get("location", "").strip() and not data.get("online_url", "").strip():
            self.add_error("location", _("Give a location, an online meeting link, or both."))
        return data


class ExpertsSearchForm(forms.Form):
    q = forms.CharField(label=_("Topic"), max_length=60, required=False)


class SurveyForm(forms.Form):
    community = CommunityChoiceField(label=_("Community"), queryset=Community.objects.none())
    title = forms.CharField(
        label=_("Question"), max_length=200, initial=_("What should we learn next?")
    )
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.CharField(
        label=_("Topics to rate"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line, between 2 and 12."),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


SCORE_CHOICES = [
    ("", _("skip")),
    ("1", _("1 · not at all")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 · very much")),
]


class SurveyAnswerForm(forms.Form):
    """A score per topic (radio buttons, may be skipped) and free text."""

    comment = forms.CharField(
        label=_("Anything else you would like to learn?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the coordinators read it, without your name."),
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[f"topic_{topic.pk}"] = forms.ChoiceField(
                label=topic.name,
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        self.order_fields([f"topic_{topic.pk}" for topic in topics] + ["comment"])

    def scores(self) -> dict[int, int]:
        return {
            topic.pk: int(self.cleaned_data[f"topic_{topic.pk}"])
            for topic in self.topics
            if self.cleaned_data.get(f"topic_{topic.pk}")
        }
