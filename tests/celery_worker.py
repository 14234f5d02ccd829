"""A real Celery worker process against the suite's real Redis and PostgreSQL."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from brunswick.celery import app as celery_app


def wait_until(predicate, timeout: float = 30, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout}s waiting for {predicate}")


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    mail_dir: Path

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"))]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_worker(directory: Path, email_url: str | None = None) -> Worker:
    """Start `celery worker` on the test database; returns once it is ready for tasks.

    E-mail goes to files in the worker's folder, or to `email_url` (a real SMTP server).
    """
    mail_dir = directory / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brunswick.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": email_url or f"filemail:///{mail_dir}",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    log = directory / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "brunswick", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = Worker(process, log, mail_dir)
    try:
        wait_until(lambda: "ready." in log.read_text() or process.poll() is not None, timeout=30)
    except AssertionError:
        worker.stop()
        raise
    if process.poll() is not None:
        raise RuntimeError(f"celery worker exited:\n{log.read_text()}")
    return worker


class RealBroker:
    """Publish to Redis instead of running tasks in-process, for the length of a test."""

    def __enter__(self):
        self.eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        return self

    def __exit__(self, *exc):
        celery_app.conf.task_always_eager = self.eager
