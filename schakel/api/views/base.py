"""What every API view shares: the answer's language, and 404 for roles without access."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.views import APIView

from ..throttles import PerAddress


def activate_language(request) -> str:
    """Dutch, unless Accept-Language prefers English (unlike the pages, which ignore it:
    a client program states what it reads; an employee's laptop setting does not)."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = settings.LANGUAGE_CODE
    for code, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            language = base
            break
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


class ApiView(APIView):
    """An explicit API view: authentication, scope, throttles and problem details.

    `roles`, when set, are the only roles that see the endpoint; all others get the
    same 404 as the pages give them.
    """

    roles: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        activate_language(request._request)
        # The address first, before a token is looked up: guessing tokens counts too.
        for throttle in self._address_throttles():
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())
        super().initial(request, *args, **kwargs)
        if self.roles and request.user.role not in self.roles:
            raise Http404

    def _address_throttles(self):
        return [cls() for cls in self.throttle_classes if issubclass(cls, PerAddress)]

    def get_throttles(self):
        return [cls() for cls in self.throttle_classes if not issubclass(cls, PerAddress)]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response
