"""The region fetches each municipality's share and agenda over its API.

One GET per document with the municipality's system token (scope "region"), a short
timeout, no redirects followed, at most MAX_BYTES read; what comes back is validated
strictly (`validate.py`) before anything is stored. A municipality that does not
answer keeps its last share, with its date, and is shown as not answering. Runs in the
task worker (`tasks.py`) or as `manage.py region_fetch`, never inside a page.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from schakel.reports import figures

from . import actions, validate
from .models import FetchStatus, Municipality

logger = logging.getLogger("schakel.region")

SHARE_PATH = "/api/v1/region/share/"
AGENDA_PATH = "/api/v1/region/agenda/"
MAX_BYTES = 2_000_000


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Failed(Exception):
    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def _get(base_url: str, path: str, token: str):
    request = urllib.request.Request(base_url + path, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json",
        "Accept-Language": "nl"})
    timeout = settings.SCHAKEL.get("REGION_FETCH_TIMEOUT", 5)
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 404):
            raise Failed(FetchStatus.REFUSED) from None
        if exc.code == 403:
            raise Failed(FetchStatus.NOT_SHARING) from None
        raise Failed(FetchStatus.UNREACHABLE) from None
    except (urllib.error.URLError, OSError, ValueError):
        raise Failed(FetchStatus.UNREACHABLE) from None
    if len(body) > MAX_BYTES:
        raise Failed(FetchStatus.INVALID)
    try:
        return json.loads(body)
    except ValueError:
        raise Failed(FetchStatus.INVALID) from None


def fetch_one(municipality: Municipality) -> str:
    """Fetch, validate and store one municipality's share and agenda. Returns the status."""
    if not municipality.token:
        actions.fetch_recorded(municipality_id=municipality.pk, status=FetchStatus.NO_TOKEN)
        return FetchStatus.NO_TOKEN
    try:
        share = validate.share(_get(municipality.base_url, SHARE_PATH, municipality.token),
                               threshold=figures.threshold())
        agenda = validate.agenda(_get(municipality.base_url, AGENDA_PATH, municipality.token))
    except Failed as exc:
        status = exc.status
    except validate.Invalid as exc:
        logger.warning("region: share of municipality %s refused: %s", municipality.pk, exc)
        status = FetchStatus.INVALID
    else:
        actions.fetch_recorded(municipality_id=municipality.pk, status=FetchStatus.OK,
                               share=share, agenda=agenda)
        return FetchStatus.OK
    logger.warning("region: municipality %s: %s", municipality.pk, status)
    actions.fetch_recorded(municipality_id=municipality.pk, status=status)
    return status


def fetch_all() -> dict[str, str]:
    """Every active municipality of the region, one after the other: {name: status}."""
    actions.municipalities_sync(settings.SCHAKEL.get("REGION") or ())
    return {m.name: fetch_one(m) for m in Municipality.objects.filter(active=True)}
