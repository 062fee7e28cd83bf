"""The SCIM protocol around every endpoint: the directory token, the throttle, SCIM errors
for whatever goes wrong, the audit entry of each call."""

import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import Error, SCIMException

from communities.audit.services import audit_record
from communities.errors import DomainError
from directory.models import DirectoryToken
from directory.selectors import token_for_secret
from directory.services.tokens import directory_token_touch

SCIM_JSON = "application/scim+json"
MAX_BODY = 1024 * 1024


class Problem(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def _json(payload: dict, status: int = 200, etag: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, default=str), status=status, content_type=SCIM_JSON)
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, detail=detail, scim_type=scim_type)
    return _json(error.model_dump(), status=status)


_DOMAIN_STATUS = {"uniqueness": (409, "uniqueness"), "forbidden": (403, None)}


def scim_view(view: Callable) -> Callable:
    """Authenticate, throttle, translate errors into SCIM errors, audit."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        token = token_for_secret(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            response = _error(401, "A valid directory token is required.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        if _throttled(token):
            response = _error(429, "Too many requests: slow down.")
            response["Retry-After"] = "60"
            return response
        request.directory_token = token
        try:
            response = view(request, *args, **kwargs)
        except Problem as problem:
            response = _error(problem.status, problem.detail, problem.scim_type)
        except SCIMException as error:
            response = _json(error.to_error().model_dump(), status=error.status)
        except ValidationError as error:
            response = _json(
                Error.from_validation_errors(error.errors())[0].model_dump(), status=400
            )
        except DomainError as error:
            status, scim_type = _DOMAIN_STATUS.get(error.code, (400, "invalidValue"))
            response = _error(status, str(error.message), scim_type)
        directory_token_touch(token=token)
        audit_record(
            actor=None,
            action="directory.scim",
            target=token,
            detail=f"{request.method} {request.path} {response.status_code}",
            request=request,
        )
        return response

    return wrapper


def _throttled(token: DirectoryToken) -> bool:
    window = int(timezone.now().timestamp() // 60)
    key = f"scim-throttle:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.DIRECTORY_SCIM_REQUESTS_PER_MINUTE
