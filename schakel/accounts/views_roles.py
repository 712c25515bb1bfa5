"""The page of role changes: administrators change or request a role, a second person
(an officer or another administrator) approves or refuses what waits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import roles
from .forms import RoleDecisionForm, RoleForm
from .models import NEEDS_APPROVAL, Role, RoleRequest


def _may_see(user) -> None:
    if user.role not in roles.APPROVERS:
        raise Http404


@login_required
def roles_page(request):
    _may_see(request.user)
    is_admin = request.user.role == Role.ADMIN
    form = RoleForm(request.POST or None, actor=request.user) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if form.is_valid():
            user, role = form.cleaned_data["user"], form.cleaned_data["role"]
            try:
                if roles.needs_approval(role):
                    roles.role_request(actor=request.user, user=user, role=role,
                                       reason=form.cleaned_data["reason"])
                    messages.success(request, _("The request is saved. A second person "
                                                "(an officer or another administrator) "
                                                "approves or refuses it."))
                else:
                    roles.role_change(actor=request.user, user=user, role=role)
                    messages.success(request, _("The role is changed. It applies from the "
                                                "user's next login."))
                return redirect("accounts:roles")
            except roles.RoleError as exc:
                form.add_error(None, exc.message)
    pending = (RoleRequest.objects.filter(state=RoleRequest.State.PENDING)
               .select_related("user", "requested_by"))
    decided = (RoleRequest.objects.exclude(state=RoleRequest.State.PENDING)
               .select_related("user", "requested_by", "decided_by")[:50])
    return render(request, "accounts/roles.html", {
        "form": form, "pending": pending, "decided": decided,
        "approval_roles": [Role(r).label for r in Role.values if r in NEEDS_APPROVAL],
        "decision_form": RoleDecisionForm(),
    })


def _decide(request, pk, action, done):
    _may_see(request.user)
    role_request = get_object_or_404(RoleRequest, pk=pk)
    form = RoleDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if action == "approve":
            roles.role_approve(actor=request.user, request=role_request)
        else:
            roles.role_refuse(actor=request.user, request=role_request, note=note)
        messages.success(request, done)
    except roles.RoleError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:roles")


@require_POST
@login_required
def role_approve(request, pk):
    return _decide(request, pk, "approve", _("The role change is approved. It applies from "
                                             "the user's next login."))


@require_POST
@login_required
def role_refuse(request, pk):
    return _decide(request, pk, "refuse", _("The request is refused."))
