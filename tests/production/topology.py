"""The production topology of docker/compose.yaml, booted natively on loopback.

These machines have no Docker engine, so `make prodcheck` runs the same pieces as ordinary
processes, from the same files: the Dockerfile's COPY list makes the "image" folder, its
ENV and CMD the web server, compose.yaml's commands the worker, beat and Redis, docker/
Caddyfile the proxy, docker/db-init/ the database roles, and docker/*.env.example the
settings. Every place where this run must differ from the containers is in native() below,
with its reason; nothing else is changed.

    Caddy (HTTPS, local CA for "localhost") -> gunicorn (Dockerfile CMD, 3 sync workers)
      -> PostgreSQL 15 (portal_app; migrations as portal_owner) and Redis (password,
         appendonly, noeviction) <- Celery worker and beat (compose.yaml commands)
    e-mail -> a real SMTP server (aiosmtpd) in this process

`start()` boots it (and removes whatever it started if a step fails); `Topology.remove()`
stops everything in reverse order and deletes its folder.
"""

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import yaml

from tests.servers import _as_postgres, _wait_for_port, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
DOCKER = ROOT / "docker"
HOST = "localhost"


# --- Reading the deployment's own files ---------------------------------------------------


def dockerfile_instructions(path: Path = DOCKER / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", path.read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword.upper(), rest.strip()))
    return stages[-1]


def image_env() -> dict[str, str]:
    """The ENV lines of the image, in order (later ones win, as in Docker)."""
    env: dict[str, str] = {}
    for keyword, rest in dockerfile_instructions():
        if keyword == "ENV":
            for name, value in re.findall(r"(\w+)=(\S+)", rest):
                env[name] = value.replace("$PATH", os.environ.get("PATH", ""))
    return env


def image_command() -> list[str]:
    (cmd,) = [rest for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    return json.loads(cmd)


def image_copies() -> list[str]:
    """What the image holds of the repository (COPY lines from the build context)."""
    sources = []
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY" and not rest.startswith("--from"):
            sources.append(rest.split()[0])
    return sources


def collectstatic_env() -> dict[str, str]:
    """The variables the Dockerfile's collectstatic step sets on its own command line."""
    (run,) = [rest for keyword, rest in dockerfile_instructions()
              if keyword == "RUN" and "collectstatic" in rest]  # fmt: skip
    before = run.split("python manage.py collectstatic")[0]
    values = dict(re.findall(r'(\w+)="?([^"\s]*)"?', before))
    values["SECRET_KEY"] = "build-only-dummy"  # The ARG's default.
    return values


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def env_file(name: str) -> dict[str, str]:
    """NAME=value lines of docker/<name>, placeholders (<...>) and all."""
    values = {}
    for line in (DOCKER / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


# --- Where this run differs from the containers ---------------------------------------------


@dataclass
class Ports:
    http: int = field(default_factory=free_port)
    https: int = field(default_factory=free_port)
    web: int = field(default_factory=free_port)
    postgres: int = field(default_factory=free_port)
    redis: int = field(default_factory=free_port)
    smtp: int = field(default_factory=free_port)


@dataclass(frozen=True)
class Native:
    """Every way this run differs from the containers, each with its reason. Nothing
    else about the deployment is changed."""

    # Plain text substitutions, applied to every value read from docker/.
    text: dict[str, str]
    # The Caddyfile's {$NAME:default} placeholders (their defaults are the containers'
    # values) and the proxy image's volumes and file locations.
    proxy_env: dict[str, str]
    # Added to compose.yaml's redis command line.
    redis_args: list[str]


def native(directory: Path, ports: Ports) -> Native:
    text = {
        # Containers have their own file systems; here each volume is a folder.
        "/app/var": str(directory / "app" / "var"),
        "/srv/private": str(directory / "private"),
        "/srv/state": str(directory / "state"),
        # Containers reach each other by service name; here everything is on loopback.
        "0.0.0.0:8000": f"127.0.0.1:{ports.web}",
        "@db:5432": f"@127.0.0.1:{ports.postgres}",
        "@redis:6379": f"@127.0.0.1:{ports.redis}",
        "web:8000": f"127.0.0.1:{ports.web}",
        # The proxy reaches gunicorn from 127.0.0.1, not from the compose "edge" network.
        "172.30.0.0/24": "127.0.0.1/32",
        # No public name, so Caddy's own local CA signs a certificate for "localhost",
        # served on an unprivileged port.
        "<concerns.example.org>": HOST,
        "https://localhost": f"https://{HOST}:{ports.https}",
        "<it-support@example.org>": "prodcheck@example.org",
        "<noreply@example.org>": "noreply@example.org",
        # The mail server is aiosmtpd in the test process, without TLS.
        "smtp+tls://<user>:<password>@<smtp.example.org>:587": f"smtp://127.0.0.1:{ports.smtp}",
        # The image copies the Caddyfile to /etc/caddy; here it is read where it is.
        "/etc/caddy/Caddyfile": str(DOCKER / "Caddyfile"),
    }
    proxy_env = {
        "PORTAL_HOST": HOST,
        "ACME_EMAIL": "prodcheck@example.org",
        "PROXY_HTTP_PORT": str(ports.http),
        "PROXY_HTTPS_PORT": str(ports.https),
        "PORTAL_UPSTREAM": f"127.0.0.1:{ports.web}",
        "PROXY_ERROR_PAGES": str(DOCKER / "proxy-errors"),
        # The image's /data and /config volumes.
        "XDG_DATA_HOME": str(directory / "caddy-data"),
        "XDG_CONFIG_HOME": str(directory / "caddy-config"),
        "HOME": str(directory),
    }
    # The container listens on 6379 on its own network and keeps its files in /data.
    redis_args = [
        "--port",
        str(ports.redis),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory / "redis"),
    ]
    return Native(text, proxy_env, redis_args)


def substitute(value: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        value = value.replace(old, new)
    return value


# --- The servers ----------------------------------------------------------------------------


@dataclass
class Postgres:
    """PostgreSQL 15 as the postgres image runs it: passwords on TCP, roles from db-init."""

    directory: Path
    port: int
    superuser_password: str
    bin_dir: Path = field(init=False)

    def __post_init__(self):
        candidates = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not candidates:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin_dir = Path(candidates[-1]).parent

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def initdb(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        password_file = self.directory / "superuser-password"
        password_file.write_text(self.superuser_password)
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres")
            shutil.chown(password_file, "postgres")
        # As the postgres image: trust on the local socket (its init scripts use it),
        # scram-sha-256 passwords on TCP, where the portal connects.
        _as_postgres(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={password_file}",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        password_file.unlink()

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory}"
        _as_postgres(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.directory / "server.log"), "-w", "-t", "30", "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres(
                str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
            )

    def restart(self) -> None:
        self.stop()
        self.start()

    def local_env(self) -> dict[str, str]:
        """psql over the local socket as the superuser, as an init script runs it."""
        return {**os.environ, "PGHOST": str(self.directory), "PGPORT": str(self.port)}

    def run_init_scripts(self, env: dict[str, str]) -> None:
        for script in sorted((DOCKER / "db-init").glob("*.sh")):
            subprocess.run(
                ["sh", str(script)], env={**self.local_env(), **env, "POSTGRES_USER": "postgres"},
                check=True, capture_output=True, text=True,
            )  # fmt: skip

    def psql(
        self,
        sql: str,
        database: str = "portal",
        role: str = "postgres",
        password: str | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        """Run SQL as a role over TCP (with its password) or as the superuser."""
        env = self.local_env()
        command = ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-tA", "-d", database, "-U", role]
        if password is not None:
            env["PGPASSWORD"] = password
            command += ["-h", "127.0.0.1"]
        return subprocess.run(
            [*command, "-c", sql], env=env, check=check, capture_output=True, text=True
        )

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Redis:
    """Redis with compose.yaml's own command line (password, appendonly, noeviction)."""

    directory: Path
    port: int
    password: str
    native_args: list[str]  # From native(): where this run's Redis listens and keeps files.
    process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        words = [w.replace("${REDIS_PASSWORD:?set REDIS_PASSWORD in docker/.env}", self.password)
                 for w in compose()["services"]["redis"]["command"]]  # fmt: skip
        return [*words, *self.native_args]

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.command(), stdout=(self.directory / "redis.log").open("a"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        _wait_for_port(self.port)
        deadline = time.monotonic() + 20
        while "loading" in self.cli("PING", check=False).stdout.lower():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not finish loading its append-only file")
            time.sleep(0.1)

    def stop(self) -> None:
        """As `docker compose stop redis`: SIGTERM, Redis writes its data and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(20)

    def restart(self) -> None:
        self.stop()
        self.start()

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            env={**os.environ, "REDISCLI_AUTH": self.password},
            check=check, capture_output=True, text=True,
        )  # fmt: skip


class MailSink:
    """A real SMTP server on loopback that keeps every message it is given."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]

    def wait_for(self, count: int, timeout: float = 60) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} e-mails arrived, expected {count}")
            time.sleep(0.2)
        return self.messages


# --- The whole topology -----------------------------------------------------------------------


@dataclass
class Topology:
    directory: Path
    ports: Ports
    secret: dict[str, str]
    postgres: Postgres
    redis: Redis
    mail: MailSink
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # Where things are.
    @property
    def app(self) -> Path:
        return self.directory / "app"

    @property
    def private(self) -> Path:
        return self.directory / "private"

    @property
    def state(self) -> Path:
        return self.directory / "state"

    @property
    def base_url(self) -> str:
        return f"https://{HOST}:{self.ports.https}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.web}"

    @property
    def ca_certificate(self) -> Path:
        return (
            self.directory / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        )

    def tls(self) -> ssl.SSLContext:
        """A client's TLS settings that trust Caddy's local CA (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.ca_certificate))

    def ca_spki_sha256(self) -> str:
        """base64(SHA-256(public key)) of Caddy's local root, intermediate and this host's
        certificate, comma-separated, as Chromium's --ignore-certificate-errors-spki-list
        wants them (it matches the certificate the server presents)."""
        local = self.directory / "caddy-data" / "caddy"
        certificates = [
            self.ca_certificate,
            local / "pki" / "authorities" / "local" / "intermediate.crt",
            *sorted((local / "certificates").glob(f"*/{HOST}/{HOST}.crt")),
        ]
        return ",".join(_spki_sha256(path) for path in certificates if path.exists())

    def log(self, name: str) -> Path:
        return self.directory / "logs" / f"{name}.log"

    # The settings each process gets.
    def replacements(self) -> dict[str, str]:
        return native(self.directory, self.ports).text

    def portal_env(self) -> dict[str, str]:
        """docker/env.example filled in, on top of the image's ENV: web, worker and beat."""
        replacements = self.replacements()
        env = {name: substitute(value, replacements) for name, value in image_env().items()}
        for name, value in env_file("env.example").items():
            env[name] = substitute(value, replacements)
        env.update({
            "SECRET_KEY": self.secret["SECRET_KEY"],
            "REDIS_PASSWORD": self.secret["REDIS_PASSWORD"],
            "DATABASE_URL": env["DATABASE_URL"].replace(
                "<PORTAL_APP_PASSWORD>", self.secret["PORTAL_APP_PASSWORD"]),
            "REDIS_URL": env["REDIS_URL"].replace(
                "<REDIS_PASSWORD>", self.secret["REDIS_PASSWORD"]),
        })  # fmt: skip
        unfilled = {name: value for name, value in env.items() if "<" in value}
        if unfilled:
            raise RuntimeError(f"env.example has placeholders this run does not fill: {unfilled}")
        return {**_base_process_env(), **env}

    def migrate_env(self) -> dict[str, str]:
        env = self.portal_env()
        for name, value in env_file("migrate.env.example").items():
            env[name] = substitute(value, self.replacements()).replace(
                "<PORTAL_OWNER_PASSWORD>", self.secret["PORTAL_OWNER_PASSWORD"]
            )
        return env

    def db_env(self) -> dict[str, str]:
        names = env_file("db.env.example")
        return {name: self.secret[name] for name in names}

    def caddy_env(self) -> dict[str, str]:
        # compose.yaml gives the proxy PORTAL_HOST and ACME_EMAIL from .env.
        assert set(compose()["services"]["proxy"]["environment"]) <= {"PORTAL_HOST", "ACME_EMAIL"}
        return {"PATH": os.environ.get("PATH", ""),
                **native(self.directory, self.ports).proxy_env}  # fmt: skip

    # Building the "image" and running its commands.
    def build_image_folder(self) -> None:
        """The Dockerfile's COPY list into app/, then collectstatic as the build does."""
        self.app.mkdir(parents=True)
        for source in image_copies():
            if source.startswith("docker/"):
                continue  # docker/healthcheck.py goes to /usr/local/bin: run from docker/.
            target = self.app / source
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(ROOT / source, target)
        for folder in (self.private, self.state, self.app / "var"):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        env = {**self.portal_env(), **collectstatic_env()}
        self.manage("collectstatic", "--noinput", "-v0", env=env)
        # The Dockerfile's link: the erasure ledger lives on the portal-state volume.
        (self.app / "var" / "erasure-ledger.jsonl").symlink_to(self.state / "erasure-ledger.jsonl")

    def manage(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        check: bool = True,
        input: str | None = None,
    ) -> subprocess.CompletedProcess:
        """`python manage.py ...` inside the image folder, as the portal's role by default."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=self.app, env=env or self.portal_env(),
            capture_output=True, text=True, input=input, timeout=300,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def migrate(self) -> None:
        """compose's migrate service: as the owner, then the app role's grants."""
        command = compose()["services"]["migrate"]["command"]
        assert command[:2] == ["python", "manage.py"], command
        self.manage(*command[2:], env=self.migrate_env())

    def _spawn(self, name: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.log(name).parent.mkdir(parents=True, exist_ok=True)
        self.processes[name] = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log(name).open("a"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def start_web(self) -> None:
        command = [substitute(word, self.replacements()) for word in image_command()]
        assert command[0] == "gunicorn", command
        self._spawn("web", [sys.executable, "-m", *command], self.portal_env(), self.app)
        self.wait_until(lambda: self._answers(self.web_url + "/healthz", 600), "gunicorn", "web")

    def start_worker(self) -> None:
        self._start_celery("worker")
        self.wait_until(lambda: "ready." in self.log("worker").read_text(), "worker", "worker")

    def start_beat(self) -> None:
        self._start_celery("beat")
        self.wait_until(lambda: "beat: Starting" in self.log("beat").read_text(), "beat", "beat")

    def _start_celery(self, service: str) -> None:
        command = [substitute(word, self.replacements())
                   for word in compose()["services"][service]["command"]]  # fmt: skip
        assert command[0] == "celery", command
        self._spawn(service, [sys.executable, "-m", *command], self.portal_env(), self.app)

    def start_proxy(self) -> None:
        (cmd,) = [rest for keyword, rest in dockerfile_instructions(DOCKER / "proxy.Dockerfile")
                  if keyword == "CMD"]  # fmt: skip
        command = [substitute(word, self.replacements()) for word in json.loads(cmd)]
        self._spawn("proxy", command, self.caddy_env(), self.directory)
        self.wait_until(self.ca_certificate.exists, "Caddy's local certificate", "proxy")
        self.wait_until(lambda: self._answers(self.base_url + "/healthz", 300), "Caddy", "proxy")

    def _answers(self, url: str, below: int) -> bool:
        """Whether `url` answers with a status below `below` (gunicorn: any answer at all)."""
        import httpx

        verify = self.tls() if url.startswith("https") else True
        with contextlib.suppress(httpx.HTTPError, OSError):
            return httpx.get(url, timeout=2, verify=verify).status_code < below
        return False

    def wait_until(self, condition, what: str, log: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            process = self.processes.get(log)
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n{self.tail(log)}")
            time.sleep(0.1)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.log(name)
        return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
        # Whatever it left behind (gunicorn's or Celery's children) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for name in ("proxy", "web", "beat", "worker"):
            with contextlib.suppress(Exception):
                self.stop_process(name)
        with contextlib.suppress(Exception):
            self.mail.controller.stop()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop("immediate")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def _spki_sha256(certificate: Path) -> str:
    public_key = subprocess.run(
        ["openssl", "x509", "-in", str(certificate), "-pubkey", "-noout"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=public_key,
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def _base_process_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "VIRTUAL_ENV", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}


def new_secrets() -> dict[str, str]:
    """Fresh passwords and keys, made as docs/deploy.md says (`openssl rand -hex`)."""
    return {
        "SECRET_KEY": secrets.token_hex(50),
        "REDIS_PASSWORD": secrets.token_hex(32),
        "POSTGRES_PASSWORD": secrets.token_hex(32),
        "PORTAL_OWNER_PASSWORD": secrets.token_hex(32),
        "PORTAL_APP_PASSWORD": secrets.token_hex(32),
    }


def start(steps: list | None = None) -> Topology:
    """Boot the whole topology; `steps` collects (name, seconds) for the caller to print."""
    steps = [] if steps is None else steps
    directory = Path(tempfile.mkdtemp(prefix="bp-prod-"))
    directory.chmod(0o755)  # The postgres user must reach its data folder inside.
    ports, secret = Ports(), new_secrets()
    topology = Topology(
        directory, ports, secret,
        Postgres(directory / "postgres", ports.postgres, secret["POSTGRES_PASSWORD"]),
        Redis(directory / "redis", ports.redis, secret["REDIS_PASSWORD"],
              native(directory, ports).redis_args),
        MailSink(ports.smtp),
    )  # fmt: skip
    try:
        timed(steps, "database cluster and roles (db-init)", lambda: (
            topology.postgres.initdb(), topology.postgres.start(),
            topology.postgres.run_init_scripts(topology.db_env())))  # fmt: skip
        timed(steps, "redis (compose command)", topology.redis.start)
        topology.mail.controller.start()
        timed(steps, "image folder and collectstatic", topology.build_image_folder)
        timed(steps, "migrate as portal_owner", topology.migrate)
        timed(steps, "gunicorn (image CMD)", topology.start_web)
        timed(steps, "worker and beat", lambda: (topology.start_worker(), topology.start_beat()))
        timed(steps, "caddy (docker/Caddyfile)", topology.start_proxy)
    except BaseException:
        topology.remove()
        raise
    return topology


def timed(steps: list, name: str, action):
    started = time.monotonic()
    result = action()
    steps.append((name, time.monotonic() - started))
    return result
