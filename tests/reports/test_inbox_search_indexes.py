"""The inbox search finds reports through trigram indexes on PostgreSQL, not by reading
every report (reports/migrations/0003; figures in docs/performance.md)."""

import pytest
from django.db import connection

from reports.filters import ReportFilter
from reports.models import Report
from tests.conftest import sign_in
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

INDEXES = {"report_reference_trgm", "report_description_trgm", "report_posted_by_trgm"}


@pytest.fixture
def postgresql(servers):
    """The suite's own PostgreSQL: without it this fails (tests/conftest.py), never skips."""
    assert connection.vendor == "postgresql"


def test_the_three_searched_columns_have_trigram_indexes(postgresql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'reports_report'")
        names = {row[0] for row in cursor.fetchall()}
    assert names >= INDEXES


def test_the_search_query_can_use_them(postgresql):
    ReportFactory.create_batch(3)
    search = ReportFilter({"q": "useless", "status": "all"}, queryset=Report.objects.all())
    sql, params = search.qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be scanned anyway; ask what it would do at volume.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert all(name in plan for name in INDEXES), plan


def test_search_still_finds_reports_by_any_of_the_three(client, slt):
    sign_in(client, slt)
    report = ReportFactory(description="He called Ms Smith USELESS.", posted_by="Dad of Sam")
    for query in ("useless", "dad of", report.reference[3:8].lower()):
        assert report.reference in client.get("/staff/", {"q": query}).content.decode()
