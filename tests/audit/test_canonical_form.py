"""An event's canonical form must never change: every chain already stored depends on it."""

import json
from datetime import UTC, datetime

from brunswick.audit.models import AuditEvent


def test_it_is_the_same_bytes_as_json_dumps_gave():
    event = AuditEvent(
        at=datetime(2026, 3, 27, 14, 30, 5, 123, tzinfo=UTC),
        action="case_viewed",
        actor_id=7,
        actor_kind="staff",
        actor_role="slt,head_teacher",
        object_type="cases.case",
        object_id="42",
        extra={"b": [1, "é"], "a": {"z": None, "y": 2.5}},
        request_id="abc",
        previous_hash="0" * 64,
    )
    content = {
        "at": "2026-03-27T14:30:05.000123+00:00",
        "action": "case_viewed",
        "actor": 7,
        "actor_kind": "staff",
        "actor_role": "slt,head_teacher",
        "object_type": "cases.case",
        "object_id": "42",
        "extra": {"b": [1, "é"], "a": {"z": None, "y": 2.5}},
        "request_id": "abc",
        "previous_hash": "0" * 64,
    }
    expected = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    assert event.canonical() == expected
