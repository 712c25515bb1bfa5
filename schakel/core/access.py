"""The one way a view refuses a role: 404, so outsiders learn nothing about what exists."""

from django.http import Http404


def require_role(user, *roles) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise Http404
