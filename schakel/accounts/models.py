"""Users, their one role, and the teams (departments) employees belong to."""

from django import dispatch
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    TEAM_LEAD = "team_lead", _("Team lead")
    OFFICER = "officer", _("Designated officer human trafficking")
    POLICY = "policy", _("Policy officer")
    ADMIN = "admin", _("Functional administrator")
    # Only on the region's installation (settings.SCHAKEL["REGION"]): sees the anonymous
    # figures of the region's municipalities, never a signal.
    REGION = "region", _("Chain director human trafficking (region)")


# Who sees reporters (the officers), and who can approve that (officers and
# administrators): granting one of these roles takes two people (accounts/roles.py).
# The administrator's role is in it because an administrator approves: one
# administrator who could make a second one alone would have the four eyes to itself.
SEES_REPORTERS = frozenset({Role.OFFICER})
NEEDS_APPROVAL = frozenset({Role.OFFICER, Role.ADMIN})


class Team(models.Model):
    """A department of the municipality, e.g. Burgerzaken or Sociaal Team."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Teams with client contact are the plan's first audience for training (§3.1).
    client_contact = models.BooleanField(_("client contact"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.EMPLOYEE)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Part of every session's auth hash: raising it ends all sessions ("log out everywhere").
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def _get_session_auth_hash(self, secret=None):
        from django.utils.crypto import salted_hmac

        return salted_hmac("schakel.accounts.User.session", f"{self.password}:{self.session_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()

    @property
    def needs_two_factor(self) -> bool:
        """Officers, the policy role and administrators must log in with a second factor."""
        return self.role in (Role.OFFICER, Role.POLICY, Role.ADMIN, Role.REGION)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_employee(self) -> bool:
        return self.role == Role.EMPLOYEE

    @property
    def is_team_lead(self) -> bool:
        return self.role == Role.TEAM_LEAD

    @property
    def can_file_signals(self) -> bool:
        """Employees and team leads (step 1); officers too, for what they find themselves
        (a control's finding) or hear from outside the organisation."""
        return self.role in (Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICER)


class RoleRequest(models.Model):
    """A request to give a user a role that needs a second person's approval.

    Asked by an administrator (or by the single sign-on provider's group, then
    `requested_by` is empty), approved or refused by an officer or another
    administrator: never the one who asked, never the user it is about.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="role_requests")
    old_role = models.CharField(_("current role"), max_length=20, choices=Role)
    new_role = models.CharField(_("requested role"), max_length=20, choices=Role)
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        constraints = [
            # One open request per user: a second one would race the first.
            models.UniqueConstraint(fields=["user"], condition=models.Q(state="pending"),
                                    name="one_pending_role_request_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.old_role} -> {self.new_role} ({self.state})"


# Sent inside the transaction whenever every session of a user ends: a role change, or
# "log out everywhere" (`end_sessions`). Floors above connect to it (the API revokes the
# user's tokens), so accounts imports nothing above itself. Arguments: user, actor, reason.
sessions_ended = dispatch.Signal()


def end_sessions(*, user: User, actor, reason: str) -> None:
    """End every session of `user` on every device, and tell whoever listens."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    sessions_ended.send(sender=User, user=user, actor=actor, reason=reason)
