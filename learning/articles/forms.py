from django import forms
from django.utils.translation import gettext_lazy as _

from learning.articles import rules
from learning.articles.models import Article


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=Article.Kind.choices)
    body = forms.CharField(
        label=_("Text"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## headings, - lists, 1. steps, **bold**, [links](/…)."),
    )
    review_months = forms.IntegerField(
        label=_("Review every (months)"),
        min_value=rules.REVIEW_MONTHS_MIN,
        max_value=rules.REVIEW_MONTHS_MAX,
        initial=12,
    )


class ArticleNewForm(ArticleForm):
    community = forms.TypedChoiceField(label=_("For"), coerce=int, empty_value=None, required=False)

    field_order = ["title", "kind", "community", "body", "review_months"]

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("The whole organisation"))] + [
            (c.pk, c.name) for c in communities
        ]


class ArticleEditForm(ArticleForm):
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)
    as_review = forms.BooleanField(
        label=_("I checked the whole article: count this as a review"), required=False
    )


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Article.Kind.choices], required=False
    )
    community = forms.SlugField(required=False, widget=forms.HiddenInput)
    archived = forms.BooleanField(label=_("Also archived and superseded"), required=False)


class FileForm(forms.Form):
    upload = forms.FileField(label=_("Image or attachment"), allow_empty_file=True)


class CoauthorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the co-author"))


class SupersedeForm(forms.Form):
    by = forms.IntegerField(label=_("Number of the newer article"), min_value=1)


class DiffForm(forms.Form):
    old = forms.IntegerField(min_value=1)
    new = forms.IntegerField(min_value=1)


class SessionsForm(forms.Form):
    sessions = forms.TypedMultipleChoiceField(
        label=_("Sessions"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [
            (s.pk, f"{s.title} ({s.start:%d-%m-%Y})") for s in sessions
        ]
