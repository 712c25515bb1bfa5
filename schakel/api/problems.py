"""Every error of the API as problem details (RFC 9457), in Dutch or English.

The body is `{"type", "title", "status", "detail", "instance"}` with, for a bad
field, `errors: [{"field", "detail"}]`; never a stack trace, never what the
client sent. An unexpected error is logged with a reference that the body gives.
"""

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("schakel.errors")

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://schakel.invalid/problemen/"  # stable names, not pages to fetch


class Problem(exceptions.APIException):
    """A domain refusal with its own type and status (409 stale version, 428 …)."""

    def __init__(self, *, status_code: int, type_: str, title, detail, errors=None,
                 headers=None):
        super().__init__(detail=str(detail))
        self.status_code = status_code
        self.type = type_
        self.title = str(title)
        self.errors = errors or []
        self.extra_headers = headers or {}


def _titles():
    return {
        400: _("The request is not valid"),
        401: _("Log in or send a valid token"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("The request cannot be processed"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
        503: _("Busy for a moment"),
    }


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error dict as a flat list of {field, detail}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix
            out.extend(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            out.extend({"field": prefix, "detail": str(v)} for v in detail)
        else:
            for i, value in enumerate(detail):
                out.extend(_flatten(value, f"{prefix}[{i}]"))
    else:
        out.append({"field": prefix, "detail": str(detail)})
    return out


def problem_response(request, *, status_code: int, type_: str = "", title=None, detail="",
                     errors=None, headers=None) -> Response:
    body = {
        "type": TYPE_BASE + type_ if type_ else "about:blank",
        "title": str(title or _titles().get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
        "instance": getattr(request, "path", ""),
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers or {},
                        content_type=CONTENT_TYPE)
    response.keep_etag = "ETag" in (headers or {})
    return response


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Problem):
        return problem_response(request, status_code=exc.status_code, type_=exc.type,
                                title=exc.title, detail=exc.detail, errors=exc.errors,
                                headers=exc.extra_headers)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        code = exc.status_code
        if isinstance(exc, exceptions.ValidationError):
            return problem_response(
                request, status_code=400, type_="ongeldige-invoer",
                detail=_("One or more fields are not valid."), errors=_flatten(exc.detail),
                headers=headers)
        detail = _detail_text(exc)
        return problem_response(request, status_code=code, detail=detail, headers=headers)
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        logger.warning("database busy: answered 503")
        return problem_response(request, status_code=503,
                                detail=_("Another task is writing to the database. Nothing "
                                         "was lost: try again in a minute."),
                                headers={"Retry-After": "60"})
    reference = uuid.uuid4().hex[:10]
    match = getattr(getattr(request, "_request", request), "resolver_match", None)
    logger.exception("api server error ref=%s view=%s", reference,
                     getattr(match, "view_name", "?"))
    return problem_response(
        request, status_code=500,
        detail=_("Try again later. If it keeps happening, give the service desk this "
                 "reference: %(ref)s") % {"ref": reference})


def _detail_text(exc) -> str:
    """DRF's default texts, in our own words (and our own translations)."""
    texts = {
        exceptions.NotAuthenticated: _("Log in, or send a token: Authorization: Bearer …"),
        exceptions.NotFound: _("This does not exist, or you do not have access to it."),
        exceptions.MethodNotAllowed: _("This method is not allowed here."),
        exceptions.NotAcceptable: _("This answer is only available as JSON."),
        exceptions.UnsupportedMediaType: _("Send JSON (Content-Type: application/json)."),
        exceptions.ParseError: _("The body is not valid JSON."),
        exceptions.Throttled: _("Too many requests: wait a moment and try again."),
    }
    for cls, text in texts.items():
        if isinstance(exc, cls):
            return text
    if isinstance(exc, (exceptions.AuthenticationFailed, exceptions.PermissionDenied)):
        return str(exc.detail)
    return str(exc.detail) if isinstance(exc.detail, str) else _titles().get(
        exc.status_code, "")


def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/v1/: a problem, not the HTML error page."""
    from .views.base import activate_language

    activate_language(request)
    body = {"type": "about:blank", "title": _("Not found"), "status": status.HTTP_404_NOT_FOUND,
            "detail": _("This does not exist, or you do not have access to it."),
            "instance": request.path}
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)
