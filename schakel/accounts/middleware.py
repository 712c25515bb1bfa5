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


class SessionIdleMiddleware:
    """Refresh the idle timeout at most once a minute instead of writing on every request.

    With SESSION_SAVE_EVERY_REQUEST every page view wrote its session, so a read
    needed the database's write lock: on SQLite, one long write (an import, a
    destruction) turned every page into an error. Now a read writes nothing unless
    the session changed or its idle stamp is a minute old. The session then ends
    between SESSION_IDLE_MINUTES - 1 and SESSION_IDLE_MINUTES after the last click.
    """

    KEY = "_idle_at"
    EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            from schakel.core import clock

            now = int(clock.now().timestamp())
            if now - session.get(self.KEY, 0) >= self.EVERY:
                session[self.KEY] = now
        return response
