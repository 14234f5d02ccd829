"""Checking the audit chain: every event's hash matches its content and the event before."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from .models import CANONICAL_FIELDS, GENESIS, AuditEvent, canonical_content


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    events: int
    problem: str = ""


def chain_head() -> tuple[int, str] | None:
    """The newest event's id and hash, for an operator to keep somewhere write-once."""
    return AuditEvent.objects.order_by("-id").values_list("id", "hash").first()


def verify_chain(*, head: tuple[int, str] | None = None, batch: int = 10_000) -> ChainReport:
    """Walk the chain in id order. With `head` (an exported id and hash), also check that
    the event is still there unchanged, so a truncated tail is found too."""
    previous, count, found_head = GENESIS, 0, head is None
    for event_id, *content, hash_ in _in_order(batch):
        if content[-1] != previous:  # The event's previous_hash.
            return ChainReport(
                False,
                count,
                f"event {event_id} does not follow the event before it: that event was changed "
                "or removed, or this one's link to it was",
            )
        if hashlib.sha256(canonical_content(*content)).hexdigest() != hash_:
            return ChainReport(False, count, f"event {event_id} was changed after it was recorded")
        if head and event_id == head[0]:
            if hash_ != head[1]:
                return ChainReport(
                    False, count, f"event {event_id} does not match the exported head"
                )
            found_head = True
        previous, count = hash_, count + 1
    if not found_head:
        return ChainReport(
            False, count, f"the exported head (event {head[0]}) is missing: the log was cut short"
        )
    return ChainReport(True, count)


def _in_order(batch: int):
    """(id, *canonical fields, hash) in id order, a batch at a time, so half a million
    events fit in memory. Plain rows: building a model instance per event, and Django's
    per-value converters, were most of the check's time (docs/performance.md)."""
    columns = ("id", *CANONICAL_FIELDS, "hash")
    at, extra = columns.index("at"), columns.index("extra")
    last_id = 0
    while True:
        page = AuditEvent.objects.filter(id__gt=last_id).order_by("id").values_list(*columns)
        sql, params = page[:batch].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return
        for row in rows:
            row = list(row)
            row[at] = as_stored(row[at])
            # JSON arrives as text (SQLite, or jsonb without the JSONField's converter).
            if isinstance(row[extra], str):
                row[extra] = json.loads(row[extra])
            yield row
        last_id = rows[-1][0]


def as_stored(value: datetime | str) -> datetime:
    """The event's time as it was hashed: aware, in UTC. Without Django's converters,
    PostgreSQL gives an aware datetime, but SQLite a naive one (or text) for the same UTC
    instant, whose isoformat() lacks "+00:00", so every event looked changed there."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
