"""Changing a user's role, with four eyes for the roles that see reporters.

- Nobody changes their own role.
- An administrator changes a role directly when the new role needs no approval
  (employee, team lead, policy officer), and when taking a role away.
- The officer's and the administrator's role (`NEEDS_APPROVAL`) take a request by
  one administrator and an approval by a second person: an officer or another
  administrator, never the one who asked and never the user concerned.
- Every step (request, approval, refusal) and the role change itself (old and new
  role) are written to the processing log in the same transaction; the officers
  (and the other administrators) get an e-mail after commit that a request waits,
  with a link and without names.

The processing log lives one floor up (`schakel.audit`); this module reaches it
through the hook `settings.PROCESSING_LOG`, so accounts imports nothing above it.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.core import clock

from .models import NEEDS_APPROVAL, Role, RoleRequest, User, sessions_ended

logger = logging.getLogger("schakel.security")

ACTIVITY = "role"  # audit.models.Activity.ROLE; accounts sits below audit, so by value
APPROVERS = (Role.OFFICER, Role.ADMIN)


class RoleError(Exception):
    """A role change that is not allowed; the message is for the user (Dutch)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _log(*, actor, user, what: str, purpose: str, changes: dict) -> None:
    import_string(settings.PROCESSING_LOG)(
        actor=actor, activity=ACTIVITY, action="update", obj=user, purpose=purpose,
        changes={"step": what, **changes})


def needs_approval(role: str) -> bool:
    return role in NEEDS_APPROVAL


def _check_admin(actor, user) -> None:
    if actor is None or actor.role != Role.ADMIN or not actor.is_active:
        raise RoleError(gettext_lazy("Only a functional administrator changes roles."))
    if actor.pk == user.pk:
        raise RoleError(gettext_lazy("Nobody changes their own role. Ask another "
                                     "administrator."))


def _apply(*, user: User, role: str, actor=None) -> str:
    """Give `user` the role; the admin site follows the role. Returns the old role.

    Every session of the user ends (session_epoch), so the new role, and the second
    factor it may need, applies from the next login on; `sessions_ended` lets the API
    revoke the user's tokens in the same transaction.
    """
    old = user.role
    user.role = role
    user.is_staff = role == Role.ADMIN
    User.objects.filter(pk=user.pk).update(role=role, is_staff=user.is_staff,
                                           session_epoch=F("session_epoch") + 1)
    if role == Role.ADMIN:
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts")
                                  .exclude(content_type__model="rolerequest"))
    elif old == Role.ADMIN:
        user.user_permissions.clear()
    user.refresh_from_db(fields=["session_epoch"])
    sessions_ended.send(sender=User, user=user, actor=actor, reason="role")
    return old


@transaction.atomic
def role_change(*, actor, user: User, role: str) -> None:
    """Change a role that needs no approval (or take a role that did away)."""
    if role not in Role.values:
        raise RoleError(gettext_lazy("Choose one of the roles."))
    _check_admin(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if role == user.role:
        return
    if role == Role.REGION and not settings.SCHAKEL.get("REGION"):
        raise RoleError(gettext_lazy("The chain director's role exists only on the region's "
                                     "installation."))
    if needs_approval(role):
        raise RoleError(gettext_lazy("This role lets someone see who reported a signal: "
                                     "request it, and a second person approves it."))
    old = _apply(user=user, role=role, actor=actor)
    # An open request for a role the user no longer starts from is void.
    RoleRequest.objects.filter(user=user, state=RoleRequest.State.PENDING).update(
        state=RoleRequest.State.REFUSED, decided_by=actor, decided_at=clock.now(),
        decision_note="Rol intussen gewijzigd")
    _log(actor=actor, user=user, what="change", purpose="Rol gewijzigd",
         changes={"role": [old, role]})
    logger.info("role changed user=%s %s->%s by user=%s", user.pk, old, role, actor.pk)


@transaction.atomic
def role_set_by_sign_on(*, user: User, role: str, created: bool = False) -> None:
    """Single sign-on sets a role that needs no approval (or takes one away).

    The caller (accounts/oidc.py) never passes a role that needs approval unless
    the user holds it already.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if needs_approval(role) and user.role != role:
        raise RoleError(gettext_lazy("This role needs a second person's approval."))
    old = None if created else user.role
    if not created:
        if role == user.role:
            return
        _apply(user=user, role=role)
        # A waiting request starts from the old role: it no longer applies.
        RoleRequest.objects.filter(user=user, state=RoleRequest.State.PENDING).exclude(
            old_role=role).update(
            state=RoleRequest.State.REFUSED, decided_at=clock.now(),
            decision_note="Rol intussen gewijzigd")
    _log(actor=None, user=user, what="sign_on", purpose="Rol gezet door single sign-on",
         changes={"role": [old, role]})


@transaction.atomic
def role_request(*, actor, user: User, role: str, reason: str) -> RoleRequest:
    """Ask for a role that needs a second person's approval (`actor` None: single
    sign-on asks, because the provider put the user in the role's group)."""
    if role not in Role.values or not needs_approval(role):
        raise RoleError(gettext_lazy("This role needs no approval: change it directly."))
    if actor is not None:
        _check_admin(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == role:
        raise RoleError(gettext_lazy("The user already has this role."))
    if RoleRequest.objects.filter(user=user, state=RoleRequest.State.PENDING).exists():
        raise RoleError(gettext_lazy("A request for this user is already waiting for "
                                     "approval."))
    request = RoleRequest.objects.create(
        user=user, old_role=user.role, new_role=role, reason=reason.strip()[:300],
        requested_by=actor, requested_at=clock.now())
    _log(actor=actor, user=user, what="request", purpose="Rolwijziging aangevraagd",
         changes={"role": [user.role, role], "request": request.pk})
    transaction.on_commit(lambda: notify_approvers(request.pk))
    return request


def _check_approver(actor, request: RoleRequest) -> None:
    if actor is None or actor.role not in APPROVERS or not actor.is_active:
        raise RoleError(gettext_lazy("Only an officer or an administrator approves roles."))
    if actor.pk == request.user_id:
        raise RoleError(gettext_lazy("Nobody decides on their own role."))
    if actor.pk == request.requested_by_id:
        raise RoleError(gettext_lazy("A second person approves: not the one who asked."))


def _locked_pending(request: RoleRequest) -> RoleRequest:
    request = RoleRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RoleRequest.State.PENDING:
        raise RoleError(gettext_lazy("This request has been decided already."))
    return request


@transaction.atomic
def role_approve(*, actor, request: RoleRequest) -> RoleRequest:
    """The second pair of eyes: approve, and the user has the role from the next login."""
    _check_approver(actor, request)
    request = _locked_pending(request)
    user = User.objects.select_for_update().get(pk=request.user_id)
    if user.role != request.old_role:
        raise RoleError(gettext_lazy("The user's role changed after the request: ask again."))
    request.state, request.decided_by, request.decided_at = (
        RoleRequest.State.APPROVED, actor, clock.now())
    request.save(update_fields=["state", "decided_by", "decided_at"])
    _log(actor=actor, user=user, what="approve", purpose="Rolwijziging goedgekeurd",
         changes={"request": request.pk})
    old = _apply(user=user, role=request.new_role, actor=actor)
    _log(actor=actor, user=user, what="change", purpose="Rol gewijzigd",
         changes={"role": [old, request.new_role], "request": request.pk,
                  "requested_by": request.requested_by_id})
    logger.info("role request %s approved by user=%s", request.pk, actor.pk)
    return request


@transaction.atomic
def role_refuse(*, actor, request: RoleRequest, note: str = "") -> RoleRequest:
    """Refuse a request (or, by the administrator who asked, withdraw it)."""
    withdraw = actor is not None and actor.pk == request.requested_by_id
    if not withdraw:
        _check_approver(actor, request)
    request = _locked_pending(request)
    request.state, request.decided_by, request.decided_at = (
        RoleRequest.State.REFUSED, actor, clock.now())
    request.decision_note = note.strip()[:300]
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _log(actor=actor, user=request.user, what="withdraw" if withdraw else "refuse",
         purpose="Rolwijziging afgewezen", changes={"request": request.pk})
    return request


def notify_approvers(request_id: int) -> None:
    """E-mail the officers and the other administrators: a request waits. A link, no names."""
    request = RoleRequest.objects.filter(pk=request_id).first()
    if request is None or request.state != RoleRequest.State.PENDING:
        return
    recipients = list(
        User.objects.filter(role__in=APPROVERS, is_active=True).exclude(email="")
        .exclude(pk__in=[request.user_id, request.requested_by_id or 0])
        .values_list("email", flat=True))
    if not recipients:
        logger.warning("role request %s waits but nobody can be e-mailed to approve it",
                       request_id)
        return
    link = settings.SITE_URL + reverse("accounts:roles")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A role change waits for your approval")
        body = _(
            "Someone has asked for a role in Schakel that lets its holder see who reported "
            "a signal. A second person must approve or refuse it.\n\nOpen the request here "
            "(you will be asked to log in):\n%(link)s\n\nThis message deliberately "
            "contains no names."
        ) % {"link": link}
    try:
        send_mail(f"[Schakel] {subject}", body, None, recipients)
    except OSError:
        logger.exception("could not e-mail the approvers of role request %s", request_id)
