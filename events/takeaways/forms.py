"""Forms of the takeaway pages: capture and edit, search filters, review, hide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.errors import DomainError
from communities.forms import DATE_INPUT, DateField
from events.models import Session, Takeaway
from events.takeaways.permissions import default_visibility, visibility_choices
from events.takeaways.rules import MAX_TAGS, parse_tags

# The ritual question, in the person's language.
RITUAL_QUESTION = _("What did you learn that would help a colleague?")


class TakeawayForm(forms.Form):
    """One insight: a title (≤ 80), the body (≤ 1,000, Markdown), kind, tags, who else would
    benefit, an optional action with a date, and who may read it."""

    title = forms.CharField(
        label=RITUAL_QUESTION,
        max_length=80,
        help_text=_("One insight, in at most 80 characters."),
    )
    body = forms.CharField(
        label=_("Tell a bit more"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown; at most 1,000 characters."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Takeaway.Kind.choices,
        initial=Takeaway.Kind.LEARNING,
        required=False,
        help_text=_("Technical tips are reviewed after 6 months, other learnings after 12."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Separated by commas, at most %(max)d.") % {"max": MAX_TAGS},
    )
    who_benefits = forms.CharField(
        label=_("Who else would benefit?"),
        max_length=200,
        required=False,
        help_text=_("Teams, roles or communities."),
    )
    action = forms.CharField(
        label=_("What will you do differently?"), max_length=280, required=False
    )
    action_due = DateField(label=_("By when"), required=False, widget=DATE_INPUT)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Takeaway.Visibility.choices,
        initial=Takeaway.Visibility.COMMUNITY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, session: Session | None, community=None, **kwargs):
        """``session``: the takeaway's; None for one kept from an answer (then ``community``
        is its own, None when organisation-wide)."""
        super().__init__(*args, **kwargs)
        self.session = session
        home = session.community if session is not None else community
        self.fields["visibility"].choices = visibility_choices(home)
        if "visibility" not in self.initial:
            self.fields["visibility"].initial = default_visibility(home)
        if home is not None and home.is_intervision:
            self.fields["title"].help_text = _(
                "Write the insight, not the case: no names or traceable details."
            )

    def clean_tags(self) -> list[str]:
        try:
            return parse_tags(self.cleaned_data.get("tags", ""))
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action_due") and not (data.get("action") or "").strip():
            self.add_error("action_due", _("Say what you will do before giving a date."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "kind": data["kind"] or Takeaway.Kind.LEARNING,
            "tags": data["tags"],
            "who_benefits": data["who_benefits"],
            "action": data["action"],
            "action_due": data["action_due"],
            "visibility": data["visibility"],
        }

    @classmethod
    def prefilled(cls, session: Session, query) -> "TakeawayForm":
        """The form a link from the prompt mail lands on: ``?title=…&tags=…&visibility=…``
        fill it in (unknown or too long values are left out; nothing is saved on GET)."""
        initial = {}
        for name in ("title", "body", "tags", "who_benefits", "action"):
            value = (query.get(name) or "").strip()
            if value and len(value) <= cls.base_fields[name].max_length:
                initial[name] = value
        if query.get("kind") in Takeaway.Kind.values:
            initial["kind"] = query["kind"]
        allowed = [value for value, _label in visibility_choices(session.community)]
        if query.get("visibility") in allowed:
            initial["visibility"] = query["visibility"]
        return cls(session=session, initial=initial)


class TakeawayEditForm(TakeawayForm):
    as_review = forms.BooleanField(
        label=_("I reviewed it: it is up to date now"),
        required=False,
        help_text=_("An edit alone is not a review."),
    )


class TakeawaySearchForm(forms.Form):
    """The search page's filters (GET); invalid values are reported and ignored."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    community = forms.SlugField(label=_("Community"), max_length=80, required=False)
    tag = forms.SlugField(label=_("Tag"), max_length=50, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("All formats")), *Session.Format.choices], required=False
    )
    date_from = DateField(label=_("From"), widget=DATE_INPUT, required=False)
    date_to = DateField(label=_("Until"), widget=DATE_INPUT, required=False)
    include_archived = forms.BooleanField(label=_("Include archived"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("reconfirm", "reconfirm"), ("archive", "archive"), ("supersede", "supersede")]
    )
    superseded_by = forms.IntegerField(
        label=_("Number of the newer takeaway"),
        required=False,
        min_value=1,
        max_value=2**62,  # beyond a bigint the database would fail, not the form
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "supersede" and not data.get("superseded_by"):
            self.add_error("superseded_by", _("Give the number of the newer takeaway."))
        return data


class HideForm(forms.Form):
    hide = forms.ChoiceField(choices=[("hide", "hide"), ("show", "show")])
    reason = forms.CharField(label=_("Reason (the author sees it)"), max_length=280, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("hide") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the author a reason (at most 280 characters)."))
        return data
