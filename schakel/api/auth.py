"""Who is calling: a token (Authorization: Bearer …) or the browser session."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from . import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    """A personal or system token. Every use is written to the processing log."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = tokens.token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is unknown, expired, revoked or not approved yet."))
        tokens.token_used(token=token, method=request.method, route=request.path)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session, with its CSRF check on writes.

    A session that has not passed the second login step never gets here: the
    TwoFactorMiddleware sends it to the code step first.
    """
