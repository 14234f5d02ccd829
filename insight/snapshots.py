"""The dashboard's figures and charts, kept in the cache so that opening it again is quick.

A snapshot is keyed by everything its figures depend on: the period, the group, today,
the school's targets, terms and closures, and the newest audit event that records a
change (every service that changes a report or a case records one in its transaction).
So a change shows at once; an unchanged school is read from the cache, for 15 minutes at
most. Snapshots hold counts and ids only, never names. If the cache is down, the figures
are worked out as if nothing were cached.
"""

import functools
import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection

from brunswick.audit.models import AuditEvent

from .charts import chart_svg
from .figures import Table, insight_tables

KEPT_SECONDS = 15 * 60
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    tables: list[Table]
    charts: dict[str, str]  # Table key -> SVG.


# Events that record a look, not a change: they do not make the figures stale.
LOOKS = [
    AuditEvent.Action.REPORT_FOLLOWED_UP,
    AuditEvent.Action.REPORT_FOLLOW_UP_FAILED,
    AuditEvent.Action.REPORT_VIEWED,
    AuditEvent.Action.SCREENSHOT_VIEWED,
    AuditEvent.Action.CASE_VIEWED,
    AuditEvent.Action.PERSON_VIEWED,
    AuditEvent.Action.LETTER_VIEWED,
    AuditEvent.Action.LETTER_DOWNLOADED,
    AuditEvent.Action.SIGNED_IN,
    AuditEvent.Action.SIGN_IN_FAILED,
    AuditEvent.Action.SIGNED_OUT,
    AuditEvent.Action.AUDIT_VIEWED,
    AuditEvent.Action.EXPORTED,
    AuditEvent.Action.INSIGHT_VIEWED,
]


CHANGES = [action for action in AuditEvent.Action if action not in LOOKS]


@functools.cache
def _latest_change_sql(vendor: str) -> str:
    # Written once, as SQL: built by the ORM, forty subqueries took longer to compile than
    # to run. Only the model's own table name is formatted in; the actions are parameters.
    table = AuditEvent._meta.db_table
    newest = f"COALESCE((SELECT id FROM {table} WHERE action = %s ORDER BY at DESC LIMIT 1), 0)"  # noqa: S608  # nosec B608
    greatest = "GREATEST" if vendor == "postgresql" else "MAX"  # SQLite's MAX(a, b, ...).
    return f"SELECT {greatest}({', '.join([newest] * len(CHANGES))})"


def latest_change() -> int:
    """The id of the newest audit event that records a change. One query: for each kind
    of change, its newest event from the (action, at) index, then the greatest of those,
    so it stays quick however many looks the log holds."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_change_sql(connection.vendor), [str(a) for a in CHANGES])
        return cursor.fetchone()[0]


def fingerprint(*, school, calendar) -> str:
    """What the figures depend on. Every change to a report or a case is recorded by an
    audit event in the same transaction (brunswick.audit), so the newest one stands for
    them all."""
    parts = (
        latest_change(),
        school.acknowledgement_target_school_days,
        school.case_close_target_school_days,
        sorted(calendar.terms),
        sorted(calendar.closures),
    )
    return repr(parts)


def snapshot(period, group, *, today: date, calendar, school) -> Snapshot:
    """The figures and charts for the period and group: from the cache if nothing they
    depend on has changed, otherwise worked out (one query per chart) and kept."""
    raw = repr((period, group, today, fingerprint(school=school, calendar=calendar)))
    key = "insight:" + hashlib.sha256(raw.encode()).hexdigest()
    try:
        kept = cache.get(key)
    except Exception:  # The cache is a convenience: without it, work the figures out.
        logger.warning("insight: cache unavailable", exc_info=True)
        kept = None
    if kept is not None:
        return kept
    tables = insight_tables(period, group, today=today, calendar=calendar, school=school)
    made = Snapshot(tables, {table.key: chart_svg(table) for table in tables})
    try:
        cache.set(key, made, KEPT_SECONDS)
    except Exception:
        logger.warning("insight: cache unavailable", exc_info=True)
    return made
