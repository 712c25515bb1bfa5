"""Two pieces of the security layer that every request passes."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor


class TwoFactorMiddleware:
    """Keep a session that has not passed its second factor on the second-factor pages.

    After the password an officer, policy officer or administrator (and anyone who
    enrolled an authenticator app) is logged in but not verified: every page except
    the code step, the enrolment, the language switch and logging out sends them to
    the code step, or to the enrolment when they have no app yet.
    """

    ALLOWED = ("accounts:verify", "accounts:enrol", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if twofactor.must_verify(request):
            allowed = {reverse(name) for name in self.ALLOWED}
            static = settings.STATIC_URL
            if request.path not in allowed and not request.path.startswith(static):
                target = "accounts:verify" if twofactor.has_totp(request.user) \
                    else "accounts:enrol"
                return redirect(target)
        return self.get_response(request)


class RequestSizeMiddleware:
    """Refuse a body larger than MAX_REQUEST_BODY_SIZE before anything reads it.

    DATA_UPLOAD_MAX_MEMORY_SIZE leaves file uploads out; this covers them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            from .views import too_large

            return too_large(request)
        return self.get_response(request)
