"""Logged in, and a token's scope: a read token only reads; a regional token only fetches
the regional share (a view that takes it says so with `accepts_region_token = True`)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated and request.user.is_active):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and token.region_only \
                and not getattr(view, "accepts_region_token", False):
            raise exceptions.PermissionDenied(
                _("This token may only fetch the regional share."))
        if isinstance(token, ApiToken) and request.method not in permissions.SAFE_METHODS \
                and not token.can_write:
            raise exceptions.PermissionDenied(
                _("This token may only read. Make a token with the scope 'read and write'."))
        return True
