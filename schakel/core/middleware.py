from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to a municipal employee whose laptop happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer a logged-in user gets, and by default
    on every other page that Django renders.

    A signal page, an answer PDF or a certificate must not stay behind in a browser's
    or a proxy's cache on a shared municipal computer. Static files (WhiteNoise, which
    answers before this middleware) keep their long caching. An anonymous page that
    sets its own Cache-Control keeps it; a logged-in user's page never does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private, max-age=0"
            response["Pragma"] = "no-cache"  # HTTP/1.0 proxies
            response.headers.pop("Expires", None)
            if not getattr(response, "keep_etag", False):  # the API's version token stays
                response.headers.pop("ETag", None)
            response.headers.pop("Last-Modified", None)
        return response


class DatabaseBusyMiddleware:
    """A write that waited longer than the busy timeout for SQLite's lock gets a Dutch
    503 with Retry-After ("try again in a moment"), not an error page with a reference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError

        if isinstance(exception, OperationalError) and "locked" in str(exception).lower():
            import logging

            from django.shortcuts import render
            from django.utils.translation import gettext as _

            logging.getLogger("schakel.db").warning("database busy: answered 503")
            response = render(request, "error.html", {
                "status": 503, "title": _("Schakel is busy for a moment"),
                "text": _("Another task is writing to the database. Nothing was lost: go "
                          "back and try again in a minute."),
            }, status=503)
            response["Retry-After"] = "60"
            return response
        return None
