"""The settings a production server starts with pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

MANAGE = str(Path(django_settings.BASE_DIR) / "manage.py")


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "brunswick.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "concerns.example.sch.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BRUNSWICK_VAR_DIR": str(tmp_path / "var"),
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120
    )


def setting(env: dict[str, str], expression: str) -> str:
    shell = f"from django.conf import settings; print({expression})"
    done = manage(env, "shell", "-c", shell)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_production_passes_the_deploy_check(production_env):
    done = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_development_defaults_do_not_pass_it(production_env):
    del production_env["DJANGO_ENV"]
    done = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout  # No HSTS.


def test_production_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]
    done = manage(production_env, "check")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_settings(production_env):
    expression = (
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.LOGGING['handlers']['console']['formatter'], "
        "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"
    )
    assert setting(production_env, expression) == ("True True True True 31536000 json None")


def test_the_proxy_ssl_header_is_believed_only_behind_a_trusted_proxy(production_env):
    production_env["TRUSTED_PROXIES"] = "10.0.0.5,172.16.0.0/12"
    assert setting(production_env, "settings.SECURE_PROXY_SSL_HEADER") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert setting(production_env, "settings.TRUSTED_PROXIES") == "['10.0.0.5', '172.16.0.0/12']"
