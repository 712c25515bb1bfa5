"""Error pages in Dutch that show nothing of the request, only a reference to quote."""

import logging
import uuid

from django.shortcuts import render

logger = logging.getLogger("schakel.errors")


def _page(request, status, title, text, reference=None):
    return render(request, "error.html",
                  {"status": status, "title": title, "text": text, "reference": reference},
                  status=status)


def bad_request(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 400, _("Something is wrong with this request"),
                 _("Go back and try again."))


def permission_denied(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 403, _("No access"), _("You do not have access to this page."))


def page_not_found(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 404, _("Page not found"),
                 _("This page does not exist, or you do not have access to it."))


def server_error(request):
    from django.utils.translation import gettext as _

    reference = uuid.uuid4().hex[:10]
    request.error_reference = reference  # the log filter puts it on the traceback too
    # Only the reference and the view's name: the URL may hold what the user typed.
    match = getattr(request, "resolver_match", None)
    logger.error("server error ref=%s view=%s", reference, getattr(match, "view_name", "?"))
    return _page(request, 500, _("Something went wrong"),
                 _("Try again later. If it keeps happening, give the service desk this "
                   "reference."), reference)
