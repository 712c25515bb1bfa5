"""Login with a second factor, the account page, log out everywhere, unlocking, SSO."""

import logging

import segno
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import twofactor
from .forms import CodeForm, EnrolForm
from .models import Role, end_sessions

logger = logging.getLogger("schakel.security")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "mislukt"
        return context

    def get_success_url(self):
        # The second factor comes first; the middleware would redirect anyway, but
        # going there directly keeps `next` for afterwards.
        if twofactor.must_verify(self.request):
            self.request.session["login_next"] = super().get_success_url()
            return "/inloggen/code/" if twofactor.has_totp(self.request.user) \
                else "/account/tweestapsverificatie/"
        return super().get_success_url()


def verify(request):
    """Step two of the login: a code from the authenticator app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not twofactor.must_verify(request):
        return redirect("home")
    if not twofactor.has_totp(request.user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if twofactor.looks_like_totp(token) and twofactor.throttled(request.user):
            form.add_error("token", _("Too many wrong codes. Wait a minute and try again."))
        elif twofactor.verify(request, token):
            left = twofactor.recovery_codes_left(request.user)
            if left < 3:
                messages.warning(request, _("You have %(n)d recovery codes left. Make new ones "
                                            "on your account page.") % {"n": left})
            return redirect(request.session.pop("login_next", None) or settings.LOGIN_REDIRECT_URL)
        else:
            form.add_error("token", _("This code is not right, or was used already."))
    return render(request, "registration/verify.html", {"form": form})


def enrol(request):
    """Add an authenticator app: scan the code (or type the key), then confirm with a code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if twofactor.must_verify(request) and twofactor.has_totp(request.user):
        return redirect("accounts:verify")  # changing the app needs the old one first
    device = twofactor.totp_device(request.user, confirmed=False)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes is not None:
            request.session["fresh_recovery_codes"] = codes
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:recovery_codes")
        form.add_error("token", _("This code is not right. Check the time on your phone "
                                  "and try the newest code."))
    if device is None or request.method == "GET":
        device = twofactor.start_enrolment(request.user)
        form = EnrolForm() if request.method == "GET" else form
    uri = device.config_url
    return render(request, "accounts/enrol.html", {
        "form": form, "secret": twofactor.secret_base32(device), "uri": uri,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff"),
    })


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "has_totp": twofactor.has_totp(request.user),
        "codes_left": twofactor.recovery_codes_left(request.user),
        "sso": bool(request.session.get(twofactor.SSO_SESSION_KEY)),
    })


@login_required
def recovery_codes(request):
    """Show new recovery codes once (after enrolment), or make new ones on request."""
    if request.method == "POST":
        if not twofactor.has_totp(request.user):
            return redirect("accounts:enrol")
        request.session["fresh_recovery_codes"] = twofactor.new_recovery_codes(request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop("fresh_recovery_codes", None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
@login_required
def logout_everywhere(request):
    """End every session of this user, on every device, this one included (and the
    user's API tokens: `sessions_ended`)."""
    with transaction.atomic():
        end_sessions(user=request.user, actor=request.user, reason="logout_everywhere")
    logger.info("logged out everywhere user=%s", request.user.pk)
    auth_logout(request)
    messages.success(request, _("You are logged out on all devices."))
    return redirect("login")


def _admin_only(request):
    if not request.user.is_authenticated or request.user.role != Role.ADMIN:
        raise Http404


@login_required
def lockouts(request):
    """The administrator's list of blocked accounts and addresses, with an unlock button."""
    _admin_only(request)
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), request.POST.get("ip", "")
        removed = 0
        if username:
            removed = axes_reset(username=username[:150])
        elif ip:
            removed = axes_reset(ip=ip[:45])
        if removed:
            logger.info("lockout lifted (%s) by user=%s", "account" if username else "address",
                        request.user.pk)
            messages.success(request, _("The block is lifted."))
        return redirect("accounts:lockouts")
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(request, "accounts/lockouts.html", {
        "attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT,
        "account_limit": settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT})


def oidc_start(request):
    if not settings.OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    from .oidc import get_setting

    view = type("Start", (OIDCAuthenticationRequestView,),
                {"get_settings": staticmethod(get_setting)})
    return view.as_view()(request)


def oidc_callback(request):
    if not settings.OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    from .oidc import get_setting

    class Callback(OIDCAuthenticationCallbackView):
        get_settings = staticmethod(get_setting)

        def login_success(self):
            response = super().login_success()
            self.request.session[twofactor.SSO_SESSION_KEY] = True
            return response

    return Callback.as_view()(request)


def csrf_failure(request, reason=""):
    return render(request, "error.html", {
        "status": 403, "title": _("The form has expired"),
        "text": _("Your session ended or the page was open for too long. Go back, reload the "
                  "page and try again."),
    }, status=403)


def too_large(request, exception=None):
    return render(request, "error.html", {
        "status": 413, "title": _("Too much sent at once"),
        "text": _("The form or file you sent is too large. Send a smaller file, or split "
                  "what you send, and try again."),
    }, status=413)


def bad_request(request, exception=None):
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE gets its own page (413)."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return too_large(request, exception)
    from schakel.core.errors import bad_request as core_bad_request

    return core_bad_request(request, exception)


def admin_login(request):
    """The admin's own login form would skip the second factor: use the one login page."""
    if request.user.is_authenticated:
        return redirect("home")  # logged in but not staff: the admin sent them here
    from django.utils.http import url_has_allowed_host_and_scheme, urlencode

    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/beheer/"
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in the log: pseudonyms, never the name or address."""
    from django.utils.crypto import salted_hmac

    def pseudonym(value):
        return salted_hmac("schakel.axes.log", value or "", algorithm="sha256").hexdigest()[:10]

    return f"account={pseudonym(username)} address={pseudonym(ip_address)}"
