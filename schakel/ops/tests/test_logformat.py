"""LOG_FORMAT=json: one JSON object per line, with the request id, never personal data."""

import io
import json
import logging
import subprocess
import sys

from django.conf import settings
from django.test import RequestFactory

from schakel.audit.log import TraceMiddleware
from schakel.core.logging import ScrubFilter
from schakel.ops.logformat import JsonFormatter

PERSONAL = "Piet Test, piet@example.org, BSN 123456782, 0612345678, 3417 AB"


def json_logger():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("schakel.test.json")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger, stream


def test_a_line_logged_during_a_request_carries_its_request_id_and_no_personal_data():
    logger, stream = json_logger()
    seen = {}

    def view(request):
        from schakel.audit.log import current_trace

        seen["trace"] = current_trace()[0]
        logger.warning("referral %s failed for email=%s", 42, "piet@example.org")
        return None

    TraceMiddleware(view)(RequestFactory().get("/"))
    entry = json.loads(stream.getvalue())
    assert entry["request_id"] == seen["trace"]
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "schakel.test.json"
    assert "referral 42 failed" in entry["message"]
    assert "piet" not in stream.getvalue()


def test_an_exception_is_logged_scrubbed_inside_the_json_line():
    logger, stream = json_logger()
    try:
        raise ValueError(PERSONAL)
    except ValueError:
        logger.exception("import failed")
    entry = json.loads(stream.getvalue())
    assert "ValueError" in entry["exception"]
    for part in ("piet@example.org", "123456782", "0612345678", "3417 AB"):
        assert part not in stream.getvalue()
    assert "request_id" not in entry  # outside a request


def test_log_format_json_makes_every_line_of_the_process_json(tmp_path):
    env = {"SCHAKEL_ENV": "test", "DATA_DIR": str(tmp_path), "DATABASE_URL": "",
           "LOG_FORMAT": "json", "PATH": "/usr/bin:/bin"}
    code = ("import logging; logging.getLogger('schakel.x').warning('sent to %s', "
            "'piet@example.org'); logging.getLogger('schakel.y').error('done')")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=120)
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert [e["logger"] for e in lines] == ["schakel.x", "schakel.y"]
    assert "piet@example.org" not in result.stderr


def test_an_unknown_log_format_stops_start_up(tmp_path):
    env = {"SCHAKEL_ENV": "test", "DATA_DIR": str(tmp_path), "DATABASE_URL": "",
           "LOG_FORMAT": "xml", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
