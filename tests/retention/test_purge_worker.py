"""The purge in a real worker on the real PostgreSQL and Redis: killed half way, it leaves
no row pointing at a missing file, and running it again finishes the work."""

import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from brunswick.retention.models import PurgedRecord, PurgeRun
from brunswick.retention.purge import LOCK_KEY, PurgeAlreadyRunning, purge_expired
from brunswick.retention.storage import storage_check
from brunswick.retention.tasks import purge_expired_records
from reports.models import Report, Screenshot
from tests.celery_worker import wait_until

from .helpers import closed_at_triage

REPORTS = 200


def purged_reports() -> int:
    return PurgedRecord.objects.filter(model_label="reports.report").count()


def purge_when_the_lock_is_free() -> str:
    """The killed worker's connection, and its lock, go as soon as PostgreSQL notices."""
    out = StringIO()

    def attempt():
        try:
            call_command("purge_expired", stdout=out)
        except Exception as error:
            if isinstance(error.__cause__, PurgeAlreadyRunning):
                return False
            raise
        return True

    wait_until(attempt, timeout=15, interval=0.2)
    return out.getvalue()


def test_a_purge_killed_half_way_is_finished_by_running_it_again(celery_worker, private_media):
    closed = timezone.now() - timedelta(days=800)
    reports = [closed_at_triage(closed) for _ in range(REPORTS)]
    worker = celery_worker()

    purge_expired_records.delay()
    wait_until(lambda: purged_reports() >= 20, timeout=60, interval=0.01)
    worker.process.send_signal(signal.SIGKILL)  # No chance to finish or clean up.
    worker.process.wait(10)

    assert 20 <= purged_reports() < REPORTS, "it should have died half way"
    assert PurgeRun.objects.get().finished_at is None
    # Whatever the moment it died, no row points at a missing file: a file with no row,
    # listed for deletion, is the only possible leftover.
    stopped = storage_check(grace=timedelta(0))
    assert stopped.missing == []
    assert all(orphan.pending_purge for orphan in stopped.orphans)

    output = purge_when_the_lock_is_free()

    assert purged_reports() == REPORTS
    assert set(Report.objects.values_list("description", flat=True)) == {"[purged]"}
    assert not Screenshot.objects.exclude(original="").exists()
    assert [p for p in private_media.rglob("*") if p.is_file()] == []
    first, second = PurgeRun.objects.order_by("id")
    assert first.interrupted and first.finished_at and not second.interrupted
    made = str(timezone.localtime(reports[0].submitted_at).year)  # Counted by year made.
    assert sum(run.counts["reports"][made] for run in (first, second)) == REPORTS
    purged = AuditEvent.objects.filter(action="purged")
    assert purged.filter(object_type="retention.purgerun").count() == 2
    assert purged.filter(object_type="reports.report").count() == REPORTS  # Each as it went.
    assert f"Purge run #{second.id}" in output and str(reports[-1].id) in output

    checked = StringIO()
    call_command("check_storage", "--grace-minutes", "0", stdout=checked)
    assert "No problems found." in checked.getvalue()


@pytest.mark.django_db
def test_only_one_purge_runs_at_a_time(servers):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        with pytest.raises(PurgeAlreadyRunning):
            purge_expired(today=timezone.localdate(), dry_run=False)
        assert not PurgeRun.objects.exists()
    finally:
        # Unlock before closing: a closed connection's locks go only once the server notices.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        other.close()
    purge_expired(today=timezone.localdate(), dry_run=False)
    assert PurgeRun.objects.count() == 1
