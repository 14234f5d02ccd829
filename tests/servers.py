"""Throwaway PostgreSQL and Redis servers on free loopback ports, for the test suite.

Started by tests/settings.py before Django reads its settings, stopped at exit.
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from glob import glob
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}")


def _as_postgres(*args: str) -> None:
    # PostgreSQL refuses to run as root; the machines have a `postgres` user.
    command = list(args) if os.getuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(command, check=True, capture_output=True, text=True)


@dataclass
class PostgresServer:
    directory: Path
    port: int
    bin_dir: Path

    @classmethod
    def start(cls) -> "PostgresServer":
        candidates = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not candidates:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        directory = Path(tempfile.mkdtemp(prefix="bp-postgres-"))
        if os.getuid() == 0:
            shutil.chown(directory, "postgres")
        server = cls(directory, free_port(), Path(candidates[-1]).parent)
        _as_postgres(
            str(server.bin_dir / "initdb"), "-D", str(directory / "data"), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {server.port} -k {directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        _as_postgres(
            str(server.bin_dir / "pg_ctl"), "-D", str(directory / "data"),
            "-l", str(directory / "server.log"), "-w", "-t", "30", "-o", options, "start",
        )  # fmt: skip
        server.psql("CREATE ROLE app LOGIN CREATEDB PASSWORD 'app'")
        return server

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-tAc", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()

    @property
    def url(self) -> str:
        return f"postgres://app:app@127.0.0.1:{self.port}/brunswick"

    def restart(self) -> None:
        """Restart the server as an operator would, dropping every connection."""
        data, log = str(self.directory / "data"), str(self.directory / "server.log")
        # -l as at start: otherwise the new server holds our output pipes open for ever.
        _as_postgres(
            str(self.bin_dir / "pg_ctl"), "-D", data, "-l", log, "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        _as_postgres(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
            "-m",
            "immediate",
            "-w",
            "stop",
        )
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class RedisServer:
    directory: Path
    port: int
    process: subprocess.Popen | None = None

    @classmethod
    def start(cls) -> "RedisServer":
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (make test installs it)")
        server = cls(Path(tempfile.mkdtemp(prefix="bp-redis-")), free_port())
        server.resume()
        return server

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def resume(self) -> None:
        """Start (or start again, on the same port) with an empty, unsaved data set."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(self.port)

    def halt(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class TestServers:
    postgres: PostgresServer
    redis: RedisServer

    def stop(self) -> None:
        self.redis.stop()
        self.postgres.stop()


def start_servers() -> TestServers:
    servers = TestServers(PostgresServer.start(), RedisServer.start())
    atexit.register(servers.stop)
    return servers
