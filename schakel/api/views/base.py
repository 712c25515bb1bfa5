"""What every API view shares: the answer's language, and 404 for roles without access."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.views import APIView


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
        super().initial(request, *args, **kwargs)
        if self.roles and request.user.role not in self.roles:
            raise Http404

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response
