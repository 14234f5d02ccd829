"""Log lines as JSON for production (LOG_FORMAT=json), one object per line."""

import json
import logging
from datetime import UTC, datetime


def _request_id() -> str:
    # Imported here: logging is configured before the apps (and audit's models) load.
    try:
        from brunswick.audit.events import current_request_id
    except Exception:  # Apps not ready yet: no request is being served.
        return ""
    return current_request_id.get()


class JsonFormatter(logging.Formatter):
    """Time, level, logger, message and request id, and a traceback if any.

    Only these fields: never the record's extras, which for django.request include the
    request itself (and so its body and cookies).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
