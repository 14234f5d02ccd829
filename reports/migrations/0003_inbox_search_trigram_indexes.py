"""Trigram indexes for the triage inbox's search (reports.filters.ReportFilter.filter_search).

The search is a case-insensitive "contains" on the reference, the description and who
posted it, which Django writes as UPPER(column::text) LIKE UPPER(%s): without an index
PostgreSQL reads every report, twice per page (the rows and the paginator's count). GIN
trigram indexes on those same expressions let it find the matching rows directly.

PostgreSQL only: SQLite (the embedded default) has no pg_trgm and searches by scanning,
which is fine at a small school's volume. pg_trgm is a trusted extension (PostgreSQL 13+),
so the portal's own database role may create it. The indexes are not in the model's Meta
(SQLite could not build them), so this migration changes no model state.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS report_reference_trgm ON reports_report "
    "USING gin ((UPPER(reference::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS report_description_trgm ON reports_report "
    "USING gin ((UPPER(description::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS report_posted_by_trgm ON reports_report "
    "USING gin ((UPPER(posted_by::text)) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS report_reference_trgm",
    "DROP INDEX IF EXISTS report_description_trgm",
    "DROP INDEX IF EXISTS report_posted_by_trgm",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_historicalreport_case_historicalreport_closed_reason_and_more"),
    ]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
