import json
import logging
import sys

from django.test import RequestFactory

from brunswick.audit.events import current_request_id
from brunswick.logs import JsonFormatter


def record(message="report %s submitted", *args, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.getLogger("reports.views").makeRecord(
        "reports.views", logging.WARNING, __file__, 1, message, args or ("BP-1",), exc_info
    )
    made.__dict__.update(extra)
    return made


def test_a_line_is_one_json_object_with_the_request_id():
    token = current_request_id.set("abc123")
    try:
        line = JsonFormatter().format(record())
    finally:
        current_request_id.reset(token)
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "reports.views"
    assert entry["message"] == "report BP-1 submitted"
    assert entry["request_id"] == "abc123"
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_outside_a_request_the_request_id_is_empty():
    assert json.loads(JsonFormatter().format(record()))["request_id"] == ""


def test_the_request_and_its_body_are_never_written():
    request = RequestFactory().post("/report/", {"description": "SECRET-REPORT-TEXT"})
    line = JsonFormatter().format(record(request=request, status_code=500))
    assert "SECRET-REPORT-TEXT" not in line
    assert set(json.loads(line)) == {"time", "level", "logger", "message", "request_id"}


def test_an_exception_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(record(exc_info=sys.exc_info()))
    assert "ValueError: boom" in json.loads(line)["exception"]
