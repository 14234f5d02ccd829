"""The servers a bench or load test runs against, all throwaway and on loopback.

PostgreSQL and Redis come from the test suite's helpers (tests/servers.py). On top of
them: the portal under gunicorn and a real Celery worker, both with bench.settings, mail
written to files. `running_stack()` stops everything it started, on success, on an error
and on Ctrl-C or SIGTERM.
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import PostgresServer, RedisServer, free_port

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"


@dataclass
class StackOptions:
    web_workers: int = 2
    # Load tests raise the portal's limits on anonymous submissions: every simulated
    # parent comes from 127.0.0.1 (the limits themselves are tested in tests/reports).
    rate_limits: dict[str, str] = field(default_factory=dict)


@dataclass
class Stack:
    directory: Path
    postgres: PostgresServer
    redis: RedisServer
    env: dict[str, str]
    web_port: int = 0
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def mail_dir(self) -> Path:
        return self.directory / "mail"

    @property
    def worker_log(self) -> Path:
        return self.directory / "worker.log"

    @property
    def web_log(self) -> Path:
        return self.directory / "gunicorn.log"


def _raise_on_sigterm() -> None:
    # Ctrl-C already raises KeyboardInterrupt; make `kill` unwind the same way, so every
    # `finally` below runs and no server is left behind.
    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)


def _environment(stack: Stack, options: StackOptions) -> dict[str, str]:
    var_dir = stack.directory / "var"
    (var_dir / "staticfiles").mkdir(parents=True)
    stack.mail_dir.mkdir()
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": stack.postgres.url,
        "REDIS_URL": stack.redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{stack.mail_dir}",
        "BRUNSWICK_VAR_DIR": str(var_dir),
        "PRIVATE_MEDIA_ROOT": str(stack.directory / "private"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        # As in production (docker/env.example): connections kept between requests.
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        **options.rate_limits,
    }


def configure_django(env: dict[str, str]) -> None:
    """Point this process's Django at the stack (migrations, the fill, the checks)."""
    os.environ.update(env)
    import django

    django.setup()


@contextlib.contextmanager
def running_stack(options: StackOptions) -> Iterator[Stack]:
    """PostgreSQL and Redis started, the database migrated; web and worker not yet."""
    _raise_on_sigterm()
    directory = Path(tempfile.mkdtemp(prefix="bp-bench-"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(_remove_tree, directory)
        postgres = PostgresServer.start()
        cleanup.callback(postgres.stop)
        redis = RedisServer.start()
        cleanup.callback(redis.stop)
        postgres.psql("CREATE DATABASE brunswick OWNER app")
        stack = Stack(directory, postgres, redis, env={})
        stack.env = _environment(stack, options)
        configure_django(stack.env)
        _migrate()
        cleanup.callback(_stop, stack)
        yield stack


def _remove_tree(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def start_web(stack: Stack, workers: int) -> None:
    """gunicorn with sync workers, as the production image runs it (docker/Dockerfile)."""
    stack.web_port = free_port()
    stack.web = subprocess.Popen(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "gunicorn", "brunswick.wsgi:application",
         "--bind", f"127.0.0.1:{stack.web_port}", "--workers", str(workers),
         "--timeout", "120", "--backlog", "256", "--log-level", "warning"],
        cwd=BASE_DIR, env={**os.environ, **stack.env},
        stdout=stack.web_log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches us, and we stop it in order.
    )  # fmt: skip
    _wait_for_http(f"{stack.base_url}/bench/floor/", stack.web, stack.web_log)


def start_worker(stack: Stack) -> None:
    """One solo-pool Celery worker, as tests/celery_worker.py starts it."""
    stack.worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "brunswick", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=INFO"],
        cwd=BASE_DIR, env={**os.environ, **stack.env},
        stdout=stack.worker_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in stack.worker_log.read_text():
        if stack.worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"celery worker did not start:\n{stack.worker_log.read_text()}")
        time.sleep(0.2)


def _wait_for_http(url: str, process: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}:\n{log.read_text()}")


def _stop(stack: Stack) -> None:
    for process in (stack.web, stack.worker):
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in (stack.web, stack.worker):
        if process is None:
            continue
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    # Close this process's connections before PostgreSQL is stopped under them.
    from django.db import connections

    connections.close_all()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def peak_memory_mb(pid: int) -> float:
    """The process's high-water resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_report(stack: Stack) -> dict[str, float]:
    """Peak memory of each gunicorn worker and of the Celery worker, while still running."""
    report: dict[str, float] = {}
    if stack.web:
        for number, pid in enumerate(sorted(children_of(stack.web.pid)), start=1):
            with contextlib.suppress(OSError):
                report[f"gunicorn worker {number}"] = peak_memory_mb(pid)
    if stack.worker and stack.worker.poll() is None:
        with contextlib.suppress(OSError):
            report["celery worker"] = peak_memory_mb(stack.worker.pid)
    return report


def exit_on_interrupt(main: Callable[[], int]) -> None:
    """Run a command's main(); Ctrl-C exits 130 (running_stack has stopped its servers)."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted; every server it started is stopped.", file=sys.stderr)
        sys.exit(130)
