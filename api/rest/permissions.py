"""What a token may do: ``read`` (every GET), ``rsvp`` (answers, joining, leaving) and
``manage`` (scheduling). A browser session has the read scope only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken

SAFE = ("GET", "HEAD", "OPTIONS")


def scopes_of(request) -> set[str]:
    if isinstance(request.auth, ApiToken):
        return set(request.auth.scopes)
    if request.user and request.user.is_authenticated:
        return {"read"}
    return set()


class HasScope(permissions.BasePermission):
    """Signed in, and the view's ``required_scope`` for writes (``read`` for reads)."""

    message = _("This token does not have the scope this request needs.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated and request.user.is_active):
            return False
        needed = "read" if request.method in SAFE else getattr(view, "required_scope", "manage")
        return needed in scopes_of(request)
