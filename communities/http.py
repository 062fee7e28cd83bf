"""Small request and form helpers that views of every app share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _


def posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check your answer.")


def staff_required(view):
    """Signed in (else to the login page) and active staff (else 404: nothing to see here)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
