"""Keep personal data and secrets out of the logs.

Every handler in settings.LOGGING runs `ScrubFilter`: the message, its arguments and
the traceback are rendered once, scrubbed, and passed on as plain text. Messages are
meant to carry references and ids only; this filter is the net under that habit
(an exception text quoting a database value, a URL with a search query, a token).
"""

import logging
import re

REDACTED = "[weggelaten]"

_PATTERNS = [
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), f"Bearer {REDACTED}"),
    # key=value and "key": "value" pairs whose value is a secret or typed by a user.
    (re.compile(r"(?i)\b(password|passwd|wachtwoord|secret|token|otp_token|api[_-]?key|"
                r"authorization|sessionid|csrftoken|csrfmiddlewaretoken|code|"
                r"client_secret|cookie|q|query|name|naam|email|bsn)"
                r"""(\s*[=:]\s*["']?)([^\s"'&,;}]+)"""),
     rf"\1\2{REDACTED}"),
    # The query string of any URL: search boxes and filters hold what people typed.
    (re.compile(r"(/[^\s?\"']*)\?[^\s\"']+"), rf"\1?{REDACTED}"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"\bNL\d{2}\s?[A-Z]{4}(\s?\d){10}\b", re.I), "[iban]"),
    (re.compile(r"(?<![\w-])(\+31|0031|0)[\s-]?6([\s-]?\d){8}\b"), "[telefoon]"),
    (re.compile(r"(?<![\w-])(\+31|0031|0)\d{1,3}[\s-]?\d{6,7}\b"), "[telefoon]"),
    (re.compile(r"(?<![\w.-])\d{9}(?![\w.-])"), "[nummer]"),  # BSN-like
    (re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b"), "[postcode]"),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubFilter(logging.Filter):
    """Render, scrub and flatten each record; prefix errors with the reference the user saw."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        reference = getattr(getattr(record, "request", None), "error_reference", None)
        if reference and f"ref={reference}" not in message:
            message = f"ref={reference} {message}"
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        # Handlers that mail or store the request would otherwise carry its body.
        if hasattr(record, "request"):
            record.request = None
        return True
