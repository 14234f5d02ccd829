"""The embedded default runs every scheduled job, as production does.

`make run` (scripts/run-embedded.sh) starts a real Celery worker with beat on kombu's
filesystem broker under var/, with no Redis. Here that same command runs against the
test database with a beat schedule whose jobs last ran two days ago, so every job is due
at once: each must then do its work.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.utils import timezone

from brunswick.celery import app as celery_app
from brunswick.health import HEARTBEAT_KEY
from brunswick.outbox.models import OutboxMessage
from brunswick.retention.models import PurgeRun
from brunswick.subject_access.models import SubjectAccessReminder, SubjectAccessRequest
from cases.models import Reminder
from reports.models import Screenshot
from reports.services import screenshot_stage
from tests.factories import LadderStepFactory, PersonFactory, ReportFactory, UserFactory
from tests.images import png_bytes

pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _every_job_last_ran_two_days_ago(path: Path) -> None:
    scheduler = PersistentScheduler(app=celery_app, schedule_filename=str(path))
    for entry in scheduler.schedule.values():
        entry.last_run_at = celery_app.now() - timedelta(days=2)
    scheduler.sync()
    scheduler.close()


@pytest.fixture
def overdue_work(head_teacher):
    """One thing for each scheduled job to do."""
    today = timezone.localdate()
    step = LadderStepFactory(due_on=today - timedelta(days=3))
    request = SubjectAccessRequest.objects.create(
        person=PersonFactory(),
        received_on=today - timedelta(days=27),
        due_on=today + timedelta(days=2),
        created_by=UserFactory(),
    )
    staged = screenshot_stage(token=uuid.uuid4(), data=png_bytes(), name="chat.png")
    Screenshot.objects.filter(id=staged.id).update(uploaded_at=timezone.now() - timedelta(days=2))
    waiting = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.NEW_REPORT_TO_STAFF, object_id=ReportFactory().id
    )
    OutboxMessage.objects.filter(id=waiting.id).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    return step, request, staged, waiting


def test_make_run_s_worker_and_beat_run_every_scheduled_job_without_redis(tmp_path, overdue_work):
    step, request, staged, waiting = overdue_work
    var = tmp_path / "var"
    var.mkdir()
    _every_job_last_ran_two_days_ago(var / "celerybeat-schedule")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "BRUNSWICK_VAR_DIR": str(var),
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    # The command scripts/run-embedded.sh runs.
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "brunswick", "worker", "--beat", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=INFO",
         f"--schedule={var / 'celerybeat-schedule'}"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        heartbeat = FileBasedCache(str(var / "cache"), {})
        done = {
            "outbox relay": lambda: OutboxMessage.objects.get(id=waiting.id).sent_at,
            "reminders": lambda: Reminder.objects.filter(object_id=step.id).exists(),
            "subject access reminders": lambda: SubjectAccessReminder.objects.filter(
                request=request
            ).exists(),
            "staged screenshot clean-up": lambda: (
                not Screenshot.objects.filter(id=staged.id).exists()
            ),
            "nightly purge": lambda: PurgeRun.objects.filter(finished_at__isnull=False).exists(),
            "heartbeat": lambda: heartbeat.get(HEARTBEAT_KEY),
        }
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(check() for check in done.values()):
            assert worker.poll() is None, log.read_text()
            time.sleep(0.25)
        missing = [name for name, check in done.items() if not check()]
        assert not missing, f"jobs that did not run: {missing}\n{log.read_text()[-3000:]}"
        assert "transport:   filesystem://" in log.read_text()  # No Redis anywhere.
        assert "Traceback" not in log.read_text()
    finally:
        worker.terminate()
        worker.wait(15)
