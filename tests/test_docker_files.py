"""The production image and compose files (docker/), checked as text: no Docker engine needed.

Running them is checked by tests/production (make prodcheck, natively, without Docker);
these quick tests keep the essentials from drifting: a non-root user, no compilers in the
final image, static files collected at build time, gunicorn, health checks, Redis that
never drops a queued job, the proxy's upload limit, no secrets in any file, and every
setting documented.
"""

import http.server
import re
import runpy
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
DOCKERFILE = (DOCKER / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
CADDYFILE = (DOCKER / "Caddyfile").read_text()
ENV_EXAMPLE = (DOCKER / "env.example").read_text()
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text()
SETTINGS = (ROOT / "brunswick" / "settings.py").read_text()
APP_SERVICES = ("migrate", "web", "worker", "beat")


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


INSTRUCTIONS = _instructions(DOCKERFILE)


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in INSTRUCTIONS:
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


FINAL = _stages()[-1]


def _arg_default(name: str) -> str:
    for keyword, rest in INSTRUCTIONS:
        if keyword == "ARG" and rest.startswith(f"{name}="):
            return rest.split("=", 1)[1]
    raise AssertionError(f"no ARG {name} with a default")


def _edge_subnet() -> str:
    return COMPOSE["networks"]["edge"]["ipam"]["config"][0]["subnet"]


# --- Dockerfile ------------------------------------------------------------------------


def test_image_is_multi_stage_on_python_311_slim_bookworm():
    assert len(_stages()) >= 2
    image = FINAL[0][1].split()[0]
    if image.startswith("${"):
        image = _arg_default(image.strip("${}"))
    assert image == "python:3.11-slim-bookworm"


def test_builder_installs_the_locked_dependencies_without_dev_tools():
    builder = " ".join(rest for _, rest in _stages()[0])
    assert "uv sync --locked --no-dev" in builder
    assert "UV_PROJECT_ENVIRONMENT=/app/.venv" in builder
    assert any(k == "COPY" and "--from=builder /app/.venv" in r for k, r in FINAL)


def test_final_stage_has_weasyprint_libraries_and_no_compilers():
    runs = " ".join(rest for keyword, rest in FINAL if keyword == "RUN")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in runs
    assert "fonts-dejavu-core" in runs
    for forbidden in ("build-essential", "gcc", "g++", "make ", "-dev ", "libpq"):
        assert forbidden not in runs + " ", forbidden
    assert "--no-install-recommends" in runs


def test_runs_as_the_non_root_portal_user():
    users = [rest for keyword, rest in FINAL if keyword == "USER"]
    assert users, "the final stage sets no USER"
    assert users[-1].split(":")[0] in {"portal", "10001"}
    runs = " ".join(rest for keyword, rest in FINAL if keyword == "RUN")
    assert "--uid 10001" in runs
    assert re.search(r"chown portal:portal /app/var /srv/private", runs)


def test_static_files_are_collected_at_build_time_with_a_throwaway_key():
    runs = [rest for keyword, rest in FINAL if keyword == "RUN"]
    assert any("manage.py collectstatic --noinput" in run for run in runs)
    envs = " ".join(rest for keyword, rest in INSTRUCTIONS if keyword == "ENV")
    assert "SECRET_KEY" not in envs  # a build ARG for that one RUN, never an ENV


def test_web_server_command_health_check_and_port():
    cmd = next(rest for keyword, rest in reversed(FINAL) if keyword == "CMD")
    for part in (
        '"gunicorn"',
        '"brunswick.wsgi:application"',
        '"0.0.0.0:8000"',
        '"--workers", "3"',
        '"--timeout", "60"',
        f'"--forwarded-allow-ips={_edge_subnet()}"',
    ):
        assert part in cmd
    assert any(k == "HEALTHCHECK" and "CMD" in r for k, r in FINAL)
    assert ("EXPOSE", "8000") in FINAL
    assert "celery -A brunswick worker --loglevel=INFO" in DOCKERFILE
    assert "celery -A brunswick beat" in DOCKERFILE


def test_private_media_is_a_volume_owned_by_the_portal():
    envs = " ".join(rest for keyword, rest in FINAL if keyword == "ENV")
    assert "PRIVATE_MEDIA_ROOT=/srv/private" in envs
    assert any(k == "VOLUME" and "/srv/private" in r for k, r in FINAL)


# --- compose.yaml ----------------------------------------------------------------------


def test_compose_has_every_service():
    assert set(COMPOSE["services"]) == {*APP_SERVICES, "db", "redis", "proxy"}


def test_web_worker_and_beat_share_one_image_with_different_commands():
    services = COMPOSE["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
        # Only migrate also reads migrate.env (the owner's DATABASE_URL).
        expected = [".env", "migrate.env"] if name == "migrate" else ".env"
        assert services[name]["env_file"] == expected, name
        assert "private-media:/srv/private" in services[name]["volumes"]
    assert "command" not in services["web"]  # the image's gunicorn
    assert services["worker"]["command"][:4] == ["celery", "-A", "brunswick", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "brunswick", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_migrations_run_once_before_the_portal_starts():
    services = COMPOSE["services"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["db"] == {"condition": "service_healthy"}


def test_only_the_proxy_publishes_ports():
    for name, service in COMPOSE["services"].items():
        if name != "proxy":
            assert "ports" not in service, name
    assert "443:443" in COMPOSE["services"]["proxy"]["ports"]


def test_database_keeps_its_data_and_has_a_health_check():
    db = COMPOSE["services"]["db"]
    assert db["image"] == "postgres:15"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["env_file"] == "db.env"  # Its passwords; no portal container reads this file.
    assert "./db-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]


def test_redis_never_evicts_needs_a_password_and_persists():
    redis = COMPOSE["services"]["redis"]
    assert redis["image"] == "redis:7"
    command = redis["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert command[command.index("--requirepass") + 1].startswith("${REDIS_PASSWORD")
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "healthcheck" in redis


def test_worker_and_beat_do_not_inherit_the_web_health_check():
    services = COMPOSE["services"]
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["beat"]["healthcheck"] == {"disable": True}


def test_gunicorn_and_the_documented_trusted_proxies_name_the_proxy_network():
    subnet = _edge_subnet()
    assert COMPOSE["services"]["proxy"]["networks"] == ["edge"]
    assert "edge" in COMPOSE["services"]["web"]["networks"]
    assert f"TRUSTED_PROXIES={subnet}" in ENV_EXAMPLE


def test_no_secret_values_in_compose():
    def walk(value, path=""):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, path)
        else:
            yield path, str(value)

    for path, value in walk(COMPOSE):
        if re.search(r"PASSWORD|SECRET|AUTH|TOKEN", path.upper()):
            assert value.startswith("${"), path
        assert not re.search(r"://[^:/@\s]*:[^@$\s]+@", value), path  # user:password@


# --- Caddyfile -------------------------------------------------------------------------


def test_proxy_terminates_tls_limits_and_buffers_uploads():
    # What these promises do is measured through the running proxy (tests/production).
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["build"] == {"context": "..", "dockerfile": "docker/proxy.Dockerfile"}
    assert "COPY docker/Caddyfile /etc/caddy/Caddyfile" in (DOCKER / "proxy.Dockerfile").read_text()
    assert re.search(r"^\{\$PORTAL_HOST\} \{", CADDYFILE, re.M)
    assert re.search(r"request_body \{\s*max_size 120MB\s*\}", CADDYFILE)
    assert "reverse_proxy {$PORTAL_UPSTREAM:web:8000}" in CADDYFILE
    assert re.search(r"^\s*buffer_requests$", CADDYFILE, re.M)
    # Security headers are Django's: the proxy only removes its own name.
    assert set(re.findall(r"^\s*header\s+(.*)$", CADDYFILE, re.M)) == {"-Server"}


# --- env.example, dockerignore.example and secrets -------------------------------------


@pytest.mark.parametrize("example", ["env.example", "db.env.example", "migrate.env.example"])
def test_env_example_holds_placeholders_only(example):
    for line in (DOCKER / example).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if re.search(r"KEY|PASSWORD|URL", name) and name not in {"PORTAL_URL"}:
            secretive = re.sub(r"<[^>]*>", "", value)
            assert not re.search(r":[^/@<]+@", secretive), name
            if name.endswith("PASSWORD") or name == "SECRET_KEY":
                assert re.fullmatch(r"<[^>]+>", value), name


@pytest.mark.parametrize("path", sorted(p.name for p in DOCKER.iterdir() if p.is_file()))
def test_no_real_secret_in_docker_files(path):
    text = (DOCKER / path).read_text()
    assert not re.search(r"-----BEGIN [A-Z ]*PRIVATE KEY-----", text)
    # A long random-looking token assigned to something secret.
    assert not re.search(r"(?i)(secret|password|key)\w*\s*[=:]\s*[A-Za-z0-9_\-]{32,}", text)


@pytest.mark.parametrize("name", [".env", "db.env", "migrate.env"])
def test_there_is_no_real_env_file_next_to_compose(name):
    assert not (DOCKER / name).exists() or (DOCKER / name).stat().st_size == 0


def test_dockerignore_example_keeps_local_state_out_of_the_build():
    lines = set((DOCKER / "dockerignore.example").read_text().splitlines())
    for entry in (".git", ".venv", "var", ".env", "docker/.env", "docker/db.env",
                  "docker/migrate.env"):  # fmt: skip
        assert entry in lines


# --- docs/deploy.md --------------------------------------------------------------------


def _variables_settings_read() -> set[str]:
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS))


def test_every_variable_the_settings_read_is_documented():
    names = _variables_settings_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in DEPLOY_DOC)
    assert not missing, f"not in docs/deploy.md: {missing}"


def test_every_variable_in_env_example_and_the_brief_is_documented():
    names = {
        line.split("=", 1)[0]
        for line in ENV_EXAMPLE.splitlines()
        if line and not line.startswith("#")
    }
    names |= {
        "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "PORTAL_URL", "SECURE_COOKIES",
        "TRUSTED_PROXIES", "SECURE_HSTS_SECONDS", "LOG_FORMAT", "PRIVATE_MEDIA_ROOT",
        "ERASURE_LEDGER_PATH",
    }  # fmt: skip
    missing = sorted(name for name in names if f"`{name}`" not in DEPLOY_DOC)
    assert not missing, f"not in docs/deploy.md: {missing}"


def test_deploy_doc_covers_the_operations():
    for command in (
        "docker compose up -d",
        "enrol_staff",
        "audit_head",
        "verify_audit --head-file",
        "reapply_erasures",
        "check_storage",
        "/healthz",
        "pg_dump",
    ):
        assert command in DEPLOY_DOC, command


# --- the health-check script -----------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str | None]] = []
    status = 200

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("Host")))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(("status", "code"), [(200, 0), (301, 1), (500, 1)])
def test_healthcheck_script_asks_healthz_with_an_allowed_host(monkeypatch, status, code):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.seen, _Handler.status = [], status
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("PORTAL_HEALTHCHECK_PORT", str(server.server_address[1]))
    monkeypatch.setenv("ALLOWED_HOSTS", ".concerns.example.org,other.example.org")
    try:
        script = runpy.run_path(str(DOCKER / "healthcheck.py"))
        assert script["main"]() == code
    finally:
        thread.join(5)
        server.server_close()
    assert _Handler.seen == [("/healthz", "concerns.example.org")]


def test_healthcheck_script_fails_when_nothing_listens(monkeypatch):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.server_close()
    monkeypatch.setenv("PORTAL_HEALTHCHECK_PORT", str(port))
    assert runpy.run_path(str(DOCKER / "healthcheck.py"))["main"]() == 1


def test_the_image_holds_every_app_the_settings_install():
    """The image once lacked insight/: it would not have started (found by make prodcheck)."""
    from django.conf import settings

    copied = {rest.split()[0] for keyword, rest in FINAL if keyword == "COPY"}
    local = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert local <= copied, local - copied
