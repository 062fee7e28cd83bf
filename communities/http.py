"""Small request and form helpers that views of every app share."""

from django.http import HttpRequest
from django.utils.translation import gettext as _


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check your answer.")
