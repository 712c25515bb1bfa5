"""The token pages: "API tokens" on Mijn account, and the system tokens' four eyes.

Thin views: access helper → form → action → redirect. A new secret waits in the
session only until the page after the redirect shows it, once (as the recovery
codes do); a reload neither shows it again nor makes a second token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts import twofactor
from schakel.accounts.models import Role
from schakel.accounts.roles import APPROVERS
from schakel.core import clock
from schakel.core.access import require_role

from . import tokens
from .forms import SystemTokenForm, TokenForm
from .models import ApiToken, ApprovalState, Kind

FRESH = "fresh_api_token"


def passed_second_step(request) -> bool:
    """Tokens are made only in a session that passed the second login step."""
    session = request.session
    return bool(session.get(twofactor.VERIFIED_SESSION_KEY)
                or session.get(twofactor.SSO_SESSION_KEY))


@login_required
def tokens_page(request):
    user = request.user
    allowed = passed_second_step(request)
    form = TokenForm(request.POST or None) if allowed else None
    secret = request.session.pop(FRESH, None) if request.method == "GET" else None
    if request.method == "POST":
        if not allowed:
            raise Http404
        if form.is_valid():
            try:
                token, secret = tokens.token_create(
                    actor=user, name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"], expires_at=form.expires_at())
            except tokens.TokenError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[FRESH] = secret
                messages.success(request, _("The token '%(name)s' has been made.")
                                 % {"name": token.name})
                return redirect("api:tokens")
        messages.error(request, _("The token has not been made: check the fields "
                                  "marked below."))
    rows = [(t, t.state(clock.now())) for t in
            ApiToken.objects.filter(user=user, kind=Kind.PERSONAL)]
    return render(request, "api/tokens.html", {
        "form": form, "secret": secret, "rows": rows, "allowed": allowed,
        "has_totp": twofactor.has_totp(user),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def token_revoke(request, pk):
    user = request.user
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != user.pk and user.role != Role.ADMIN:
        raise Http404
    tokens.token_revoke(actor=user, token=token)
    messages.success(request, _("The token '%(name)s' has been revoked: it no longer works.")
                     % {"name": token.name})
    if token.kind == Kind.SYSTEM:
        return redirect("api:system_tokens")
    return redirect("api:tokens")


@login_required
def system_tokens_page(request):
    user = request.user
    require_role(user, *APPROVERS)
    form = None
    secret = request.session.pop(FRESH, None) if request.method == "GET" else None
    if user.role == Role.ADMIN:
        form = SystemTokenForm(request.POST or None, actor=user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                token, secret = tokens.system_token_request(
                    actor=user, user=data["user"], name=data["name"], scope=data["scope"],
                    expires_at=form.expires_at(), reason=data["reason"])
            except tokens.TokenError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[FRESH] = secret
                messages.success(request, _("The system token '%(name)s' has been made. It "
                                            "works once a second person has approved it.")
                                 % {"name": token.name})
                return redirect("api:system_tokens")
    elif request.method == "POST":
        raise Http404
    now = clock.now()
    system = ApiToken.objects.filter(kind=Kind.SYSTEM).select_related(
        "user", "created_by", "decided_by")
    rows = [(t, t.state(now)) for t in system]
    return render(request, "api/system_tokens.html", {
        "form": form, "secret": secret, "rows": rows,
        "pending": [t for t in system if t.approval == ApprovalState.PENDING
                    and t.revoked_at is None],
    }, status=400 if form is not None and form.is_bound else 200)


@login_required
@require_POST
def system_token_decide(request, pk, decision):
    user = request.user
    require_role(user, *APPROVERS)
    if decision not in ("goedkeuren", "afwijzen"):
        raise Http404
    token = get_object_or_404(ApiToken, pk=pk, kind=Kind.SYSTEM)
    action = tokens.system_token_approve if decision == "goedkeuren" \
        else tokens.system_token_refuse
    try:
        action(actor=user, token=token)
    except tokens.TokenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved: the token works now.")
                         if decision == "goedkeuren" else _("Refused: the token never works."))
    return redirect("api:system_tokens")
