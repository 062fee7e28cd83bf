"""Who is calling: a personal or service token (``Authorization: Bearer kp_…``), or the browser
session (read only: the browsable docs)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.tokens.selectors import token_by_secret
from api.tokens.services import api_token_touch


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after Bearer."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = token_by_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid, expired or revoked."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class ReadOnlySessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser may read (the docs' "try it out"); writes need a token."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_active:
            return None
        return result
