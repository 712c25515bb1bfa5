"""Access tokens for the API: personal ones, and system tokens for integrations.

A token is shown once, when it is made; only its SHA-256 hash is stored. The
secret is 32 random bytes, so a fast hash is enough: nobody can guess their way
back from the hash, and a lookup is one indexed equality.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PREFIX = "schakel_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
    # The regional installation's fetch of this municipality's anonymous share, and
    # nothing else: every other endpoint refuses it (permissions.TokenScope), and the
    # share endpoint (schakel/region) accepts nothing but it.
    REGION = "region", _("Regional share only")


class Kind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    SYSTEM = "system", _("System (integration)")


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class TokenQuerySet(models.QuerySet):
    def usable(self, now) -> "TokenQuerySet":
        """Tokens that authenticate now: approved, not revoked, not expired."""
        return self.filter(approval=ApprovalState.APPROVED, revoked_at__isnull=True,
                           expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """One token. It acts as `user`, with that user's role and visibility, never more.

    A personal token is its own user's; a system token acts as an account made for
    an integration and is usable only after a second person approved it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acts as"),
                             on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PERSONAL)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.READ)
    # The first characters, so a user recognises a token in the list; never enough to use it.
    hint = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    approval = models.CharField(_("approval"), max_length=10, choices=ApprovalState,
                                default=ApprovalState.APPROVED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A personal token is always approved: only system tokens wait for a second person.
            models.CheckConstraint(
                condition=Q(kind="system") | Q(approval="approved"),
                name="personal_token_needs_no_approval"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def state(self, now) -> str:
        if self.revoked_at:
            return "revoked"
        if self.approval != ApprovalState.APPROVED:
            return self.approval
        return "expired" if self.expires_at <= now else "active"

    @property
    def region_only(self) -> bool:
        return self.scope == Scope.REGION

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE


class RateCount(models.Model):
    """Requests of one caller (a token, a user, an address hash) in one window.

    In the database, so every worker process counts the same requests: a limit of
    600 a minute is 600 a minute however many gunicorn workers answer.
    """

    key = models.CharField(max_length=80)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"],
                                               name="one_rate_count_per_key_and_window")]
        # Old windows are deleted by their start.
        indexes = [models.Index(fields=["window"], name="api_ratecount_window")]

    def __str__(self) -> str:
        return f"{self.key[:20]} {self.window:%H:%M}: {self.count}"


class IdempotentRequest(models.Model):
    """What an Idempotency-Key was first used for, so a reuse with another body is refused.

    `token` is the signal's submission token (derived from the user and the key);
    `body_hash` a keyed hash of the request body (never the body itself).
    """

    token = models.UUIDField(unique=True)
    body_hash = models.CharField(max_length=64)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"idempotency key for signal {self.signal_id}"
