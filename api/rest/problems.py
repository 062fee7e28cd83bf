"""Errors as RFC 9457 problem details (``application/problem+json``): ``type``, ``title``,
``status``, ``detail`` and, for invalid input, ``errors`` per field."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from communities.errors import DomainError

PROBLEM_TYPE = "https://kennisplein.invalid/problems/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
}


def problem(status_code: int, code: str, detail: str, **extra) -> Response:
    body = {
        "type": PROBLEM_TYPE + code,
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, content_type=CONTENT_TYPE)


def domain_problem(error: DomainError) -> Response:
    """A service's refusal: 404 for what the caller may not see, 422 for a broken rule."""
    if error.code == "not_found":
        return problem(404, "not-found", error.message)
    if error.code == "forbidden":
        return problem(404, "not-found", _("Not found."))
    return problem(422, error.code.replace("_", "-"), error.message)


def handle(exc, context):
    """DRF's exception handler, reshaped into problem details."""
    if isinstance(exc, DomainError):
        return domain_problem(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = "error"
    extra = {}
    detail = ""
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        detail = _("The request has invalid fields.")
        data = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        extra["errors"] = data
    elif isinstance(exc, exceptions.APIException):
        code = str(exc.default_code).replace("_", "-")
        detail = str(exc.detail)
    result = problem(response.status_code, code, detail, **extra)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and isinstance(
        exc, exceptions.Throttled
    ):
        result.data["retry_after"] = exc.wait
    return result


@csrf_exempt
def not_found(request, rest: str = ""):
    """Anything under /api/v1/ that is no route: a 404 problem, not the HTML page (it changes
    nothing, so a token client's POST needs no CSRF token to learn that)."""
    body = {
        "type": PROBLEM_TYPE + "not-found",
        "title": TITLES[404],
        "status": 404,
        "detail": _("Not found."),
    }
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)
