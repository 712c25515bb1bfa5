"""The token actions: make, revoke, and the four eyes on system tokens.

- A personal token is made by its own user on "Mijn account", after the second
  login step; the secret is shown once and only its hash is kept.
- A system token (for an integration) acts as an account the administrator chose.
  One administrator makes it; a second person (an officer or another administrator,
  never the one who made it and never the account it acts as) approves it, as with
  the roles that see reporters (`accounts/roles.py`). Until then it opens nothing.
- Every step, and every use of a token, is written to the processing log with the
  token's name.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role
from schakel.accounts.roles import APPROVERS
from schakel.audit.log import log_processing
from schakel.audit.models import Action
from schakel.core import clock

from .models import ApiToken, ApprovalState, Kind, Scope, hash_secret, new_secret

logger = logging.getLogger("schakel.security")

ACTIVITY = "api"  # not one of the route's activities: the purpose names the token
MAX_DAYS = 366  # no token lives longer than a year


class TokenError(Exception):
    """A token step that is not allowed; the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _log(*, actor, token: ApiToken, action: str, step: str) -> None:
    log_processing(actor=actor, activity=ACTIVITY, action=action, obj=token, subjects=[],
                   purpose=f"API-token {step}: {token.name}"[:200],
                   changes={"step": step, "token": token.name, "kind": token.kind,
                            "scope": token.scope})


def _check_expiry(expires_at: dt.datetime) -> None:
    now = clock.now()
    if expires_at <= now:
        raise TokenError(_("Choose an expiry date in the future."))
    if expires_at > now + dt.timedelta(days=MAX_DAYS):
        raise TokenError(_("A token is valid for at most a year."))


def _make(*, user, actor, name: str, scope: str, expires_at, kind: str,
          approval: str, reason: str = "") -> tuple[ApiToken, str]:
    if scope not in Scope.values:
        raise TokenError(_("Choose read, or read and write."))
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    _check_expiry(expires_at)
    secret = new_secret()
    token = ApiToken.objects.create(
        user=user, name=name[:100], kind=kind, scope=scope, hint=secret[:12],
        key_hash=hash_secret(secret), created_at=clock.now(), created_by=actor,
        expires_at=expires_at, approval=approval, reason=reason.strip()[:300])
    return token, secret


@transaction.atomic
def token_create(*, actor, name: str, scope: str, expires_at) -> tuple[ApiToken, str]:
    """A personal token for `actor`. Returns the token and its secret, to be shown once."""
    if not actor.is_active:
        raise TokenError(_("Only active accounts make tokens."))
    if scope == Scope.REGION:
        raise TokenError(_("The regional share takes a system token."))
    token, secret = _make(user=actor, actor=actor, name=name, scope=scope,
                          expires_at=expires_at, kind=Kind.PERSONAL,
                          approval=ApprovalState.APPROVED)
    _log(actor=actor, token=token, action=Action.CREATE, step="made")
    logger.info("api token %s made by user=%s", token.pk, actor.pk)
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Its own user, or an administrator, ends a token at once."""
    if actor.pk != token.user_id and actor.role != Role.ADMIN:
        raise TokenError(_("Only the token's user or an administrator revokes it."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = clock.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        _log(actor=actor, token=token, action=Action.UPDATE, step="revoked")
        logger.info("api token %s revoked by user=%s", token.pk, actor.pk)
    return token


@transaction.atomic
def system_token_request(*, actor, user, name: str, scope: str, expires_at,
                         reason: str) -> tuple[ApiToken, str]:
    """An administrator makes a token for an integration's account; it waits for approval."""
    if actor.role != Role.ADMIN or not actor.is_active:
        raise TokenError(_("Only a functional administrator makes system tokens."))
    if actor.pk == user.pk:
        raise TokenError(_("A system token acts as another account than your own."))
    if not reason.strip():
        raise TokenError(_("Say what the integration is for."))
    token, secret = _make(user=user, actor=actor, name=name, scope=scope,
                          expires_at=expires_at, kind=Kind.SYSTEM,
                          approval=ApprovalState.PENDING, reason=reason)
    _log(actor=actor, token=token, action=Action.CREATE, step="requested")
    return token, secret


def _check_approver(actor, token: ApiToken) -> None:
    if actor.role not in APPROVERS or not actor.is_active:
        raise TokenError(_("Only an officer or an administrator approves system tokens."))
    if actor.pk == token.created_by_id:
        raise TokenError(_("A second person approves: not the one who made it."))
    if actor.pk == token.user_id:
        raise TokenError(_("Nobody approves a token that acts as themselves."))


def _pending(token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.kind != Kind.SYSTEM or token.approval != ApprovalState.PENDING:
        raise TokenError(_("This token has been decided already."))
    return token


def _decide(*, actor, token: ApiToken, approval: str, step: str) -> ApiToken:
    _check_approver(actor, token)
    token = _pending(token)
    token.approval, token.decided_by, token.decided_at = approval, actor, clock.now()
    token.save(update_fields=["approval", "decided_by", "decided_at"])
    _log(actor=actor, token=token, action=Action.UPDATE, step=step)
    logger.info("system token %s %s by user=%s", token.pk, step, actor.pk)
    return token


@transaction.atomic
def system_token_approve(*, actor, token: ApiToken) -> ApiToken:
    return _decide(actor=actor, token=token, approval=ApprovalState.APPROVED, step="approved")


@transaction.atomic
def system_token_refuse(*, actor, token: ApiToken) -> ApiToken:
    return _decide(actor=actor, token=token, approval=ApprovalState.REFUSED, step="refused")


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, expired, revoked, unapproved)."""
    if not secret.startswith("schakel_") or len(secret) > 100:
        return None
    return (ApiToken.objects.usable(clock.now()).select_related("user")
            .filter(key_hash=hash_secret(secret)).first())


@transaction.atomic
def token_used(*, token: ApiToken, method: str, route: str) -> None:
    """Every use of a token in the processing log, with its name; and when it was last used."""
    now = clock.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    log_processing(actor=token.user, activity=ACTIVITY,
                   action=Action.READ if method in ("GET", "HEAD", "OPTIONS") else Action.UPDATE,
                   obj=token, subjects=[], purpose=f"API-token gebruikt: {token.name}"[:200],
                   changes={"token": token.name, "kind": token.kind, "method": method,
                            "route": route[:200]})
