"""Tokens end with the sessions of the account they act as.

A token stands in for a login, so what ends a user's sessions ends their tokens:
- a role change (`accounts.roles`: the token would otherwise act with a role
  nobody chose it for),
- "Overal uitloggen" on Mijn account,
- the account being deactivated (the admin site; such tokens already stopped working,
  the revocation makes it final and visible, also if the account comes back).
Each revoked token gets its own row in the processing log, in the same transaction.

System tokens follow the account they act as, like personal ones. They are not
revoked when the administrator who made one, or the person who approved it, later
loses that role or leaves: the four eyes are a check at the moment of approval, as
with the roles that see reporters (`accounts/roles.py` keeps an approved role when
its approver's role changes). An administrator revokes a system token on purpose.
"""

from django.db import transaction
from django.db.models.signals import post_save

from schakel.accounts.models import User, sessions_ended
from schakel.audit.models import Action
from schakel.core import clock

from .models import ApiToken
from .tokens import _log

REASONS = {"role": "rol gewijzigd", "logout_everywhere": "overal uitgelogd",
           "deactivated": "account gedeactiveerd"}


@transaction.atomic
def tokens_revoke_for_user(*, user, actor, reason: str) -> int:
    """Revoke every token that acts as `user` and is not revoked yet; how many."""
    tokens = list(ApiToken.objects.select_for_update()
                  .filter(user_id=user.pk, revoked_at__isnull=True))
    now = clock.now()
    for token in tokens:
        token.revoked_at, token.revoked_by = now, actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        _log(actor=actor, token=token, action=Action.UPDATE,
             step=f"ingetrokken ({REASONS.get(reason, reason)})")
    return len(tokens)


def _on_sessions_ended(sender, *, user, actor, reason, **kwargs):
    tokens_revoke_for_user(user=user, actor=actor, reason=reason)


def _on_user_saved(sender, *, instance, update_fields=None, **kwargs):
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    tokens_revoke_for_user(user=instance, actor=None, reason="deactivated")


def connect() -> None:
    sessions_ended.connect(_on_sessions_ended, dispatch_uid="api.tokens.sessions_ended")
    post_save.connect(_on_user_saved, sender=User, dispatch_uid="api.tokens.deactivated")
