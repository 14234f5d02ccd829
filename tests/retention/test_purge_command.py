"""`manage.py purge_expired [--dry-run]`: ids and counts, never content."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from brunswick.retention.models import PurgeRun
from reports.models import Report

from .helpers import closed_at_triage

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def old_report() -> Report:
    return closed_at_triage(
        timezone.now() - timedelta(days=400),
        description="Jordan Smith called Ms Patel a liar.",
        reporter_name="Priya Reporter",
    )


def test_a_dry_run_lists_ids_and_counts_and_changes_nothing():
    report = old_report()
    output = run("--dry-run")
    assert "nothing was changed" in output
    assert f"Reports closed at triage: 1 (ids {report.id})" in output
    assert "screenshots: 1 (" in output and "files: 3 (" in output
    assert "Jordan" not in output and "Priya" not in output
    assert Report.objects.get(id=report.id).description == report.description
    assert not PurgeRun.objects.exists()


def test_a_run_purges_and_says_what_went():
    report = old_report()
    output = run()
    run_id = PurgeRun.objects.get().id
    assert f"Purge run #{run_id}" in output
    assert f"Reports closed at triage: 1 (ids {report.id})" in output
    assert "Closed cases: 0" in output and "Jordan" not in output
    assert Report.objects.get(id=report.id).reporter_name == "[purged]"
