"""JSON lines for the application log (`LOG_FORMAT=json`).

One object per line: time (UTC), level, logger, message, and the request id (the
processing log's trace id of the request, so a log line and the processing records
of one request can be joined). The message and traceback have already passed the
ScrubFilter (core/logging.py) that every handler runs; this formatter adds nothing
from the request itself.
"""

import json
import logging
from datetime import UTC, datetime


def _request_id() -> str | None:
    try:
        from schakel.audit.log import _trace  # the request's trace, set by TraceMiddleware
    except Exception:  # noqa: BLE001 - before the apps are loaded there is no request
        return None
    trace = _trace.get()
    return trace[0] if trace else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _request_id()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
