"""Single sign-on through OpenID Connect (Entra ID, Keycloak, …), off unless configured.

mozilla-django-oidc does the code flow; this module adds discovery (the provider's
endpoints are read from OIDC_OP_DISCOVERY_URL unless set one by one) and maps the
provider's groups to Schakel's roles through OIDC_ROLE_GROUPS
("officer=GG-Mensenhandel,employee=GG-Medewerkers"). Someone in none of the mapped
groups cannot log in. The provider is trusted with the second factor.

The four-eyes rule holds here too: a group that maps to the officer's or the
administrator's role (`NEEDS_APPROVAL`) does not give that role by itself. The
provider's group counts as the request (someone put the user in it); the role
follows only after an officer or an administrator in Schakel approves it on the
page Roles. Until then the user logs in with the highest of their other mapped
roles (an employee's when there is none). Losing a group takes its role away at
the next login, without approval.
"""

import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from .models import NEEDS_APPROVAL, Role, RoleRequest

logger = logging.getLogger("schakel.security")

_DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
_discovered: dict[str, dict] = {}
# Highest first: someone in two mapped groups gets the role with the most duties.
_ROLE_ORDER = [Role.ADMIN, Role.OFFICER, Role.POLICY, Role.TEAM_LEAD, Role.EMPLOYEE]


def discovery(url: str) -> dict:
    if url not in _discovered:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        _discovered[url] = response.json()
    return _discovered[url]


def get_setting(attr, *default):
    if attr in _DISCOVERY_KEYS and not getattr(settings, attr, None):
        url = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
        if url:
            value = discovery(url).get(_DISCOVERY_KEYS[attr])
            if value:
                return value
    return import_from_settings(attr, *default)


def role_groups() -> dict[str, str]:
    """{group name: role} from OIDC_ROLE_GROUPS."""
    mapping = {}
    for pair in filter(None, (p.strip() for p in settings.OIDC_ROLE_GROUPS.split(","))):
        role, _, group = pair.partition("=")
        if role.strip() not in Role.values or not group.strip():
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {pair!r} is not role=group with a role of {Role.values}.")
        mapping[group.strip()] = role.strip()
    return mapping


def roles_for(claims) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = role_groups()
    return {mapping[g] for g in groups if isinstance(g, str) and g in mapping}


def role_for(claims) -> str | None:
    roles = roles_for(claims)
    return next((r for r in _ROLE_ORDER if r in roles), None)


def granted_role(current: str | None, claims) -> tuple[str, str | None]:
    """(the role to log in with, a role to request) for someone with these claims.

    A role that needs approval is kept when the user has it already (approved
    before) and the groups still give it; otherwise it is requested, and the user
    logs in with the highest mapped role that needs no approval.
    """
    roles = roles_for(claims)
    wanted = role_for(claims)
    if wanted not in NEEDS_APPROVAL or current == wanted:
        return wanted, None
    if current in NEEDS_APPROVAL and current in roles:
        return current, wanted
    fallback = next((r for r in _ROLE_ORDER if r in roles and r not in NEEDS_APPROVAL),
                    Role.EMPLOYEE)
    return fallback, wanted


class Backend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every password login: the provider's
        # endpoints are looked up only when a callback from the provider arrives.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or set(kwargs) - {"nonce", "code_verifier"}:
            return None
        try:
            super().__init__()
        except requests.RequestException:
            logger.error("single sign-on: the provider's discovery document is unreachable")
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException:
            logger.error("single sign-on: the provider did not answer")
        except SuspiciousOperation as exc:  # bad signature, nonce or audience
            logger.warning("single sign-on refused: %s", exc.__class__.__name__)
        return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc leaves the audience and issuer unchecked: check them here."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token for another client")
        url = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
        issuer = discovery(url).get("issuer") if url else None
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token from another issuer")
        return payload

    def verify_claims(self, claims):
        if not claims.get("sub"):
            return False
        if role_for(claims) is None:
            logger.warning("single sign-on refused: no mapped group")
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self.get_username(claims))

    def get_username(self, claims):
        # preferred_username is what people know (e.g. their e-mail at Entra ID);
        # the subject identifier is the fallback that never changes.
        return (claims.get("preferred_username") or f"sso-{claims['sub']}")[:150]

    def create_user(self, claims):
        user = self.UserModel(username=self.get_username(claims))
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        from . import roles

        old = user.role if user.pk else None
        role, to_request = granted_role(old, claims)
        user.email = claims.get("email", user.email or "")[:254]
        user.first_name = claims.get("given_name", user.first_name or "")[:150]
        user.last_name = claims.get("family_name", user.last_name or "")[:150]
        if user.pk is None:
            user.role, user.is_staff = role, False
            user.save()
            roles.role_set_by_sign_on(user=user, role=role, created=True)
        else:
            user.save(update_fields=["email", "first_name", "last_name"])
            if role != old:
                roles.role_set_by_sign_on(user=user, role=role)
        if to_request and not RoleRequest.objects.filter(
                user=user, state=RoleRequest.State.PENDING, new_role=to_request).exists():
            try:
                roles.role_request(actor=None, user=user, role=to_request,
                                   reason="Groep bij de identiteitsprovider")
            except roles.RoleError:  # another request waits: that one is decided first
                pass
        logger.info("single sign-on user=%s role=%s", user.pk, user.role)
        return user
