"""Responses that several apps send the same way: a file download, and a stored HTML
document that carries its own stylesheet.
"""

import base64
import hashlib
import re

from django.http import HttpResponse
from django.utils.csp import CSP
from django.utils.http import content_disposition_header

_STYLE = re.compile(rb"<style>(.*?)</style>", re.S)


def file_download(contents: bytes, *, content_type: str, name: str) -> HttpResponse:
    """A file as an attachment: the original name only in the header (never in the URL,
    Django encodes it safely), never cached, never sniffed as another type."""
    response = HttpResponse(contents, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def allow_own_stylesheet(response: HttpResponse, html: bytes | str) -> HttpResponse:
    """Let a document with its own <style> (the council report, the regional report) be
    shown styled: the policy allows exactly that stylesheet, by its hash, and nothing else."""
    if isinstance(html, str):
        html = html.encode()
    match = _STYLE.search(html)
    digest = hashlib.sha256(match.group(1) if match else b"").digest()
    response._csp_config = {
        "default-src": [CSP.NONE],
        "style-src": [f"'sha256-{base64.b64encode(digest).decode()}'"],
        "img-src": [CSP.SELF, "data:"],
        "frame-ancestors": [CSP.NONE], "base-uri": [CSP.NONE], "form-action": [CSP.NONE],
    }
    return response
