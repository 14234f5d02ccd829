"""/healthz: the database, Redis and the worker, each in one word."""

import time

import pytest
from django.core.cache import cache

from brunswick.health import HEARTBEAT_KEY, heartbeat

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_it_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_it_names_each_check_and_nothing_else(client, servers):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "worker": "eager"}
    assert response["Content-Type"] == "application/json"


def test_it_fails_when_redis_is_down(client, servers):
    servers.redis.halt()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "database": "ok",
        "redis": "fail",
        "worker": "eager",
    }


def test_without_redis_there_is_nothing_to_check(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json()["redis"] == "not configured"


def test_a_worker_that_never_beat_is_stale(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"


def test_a_recent_heartbeat_is_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"


def test_a_heartbeat_older_than_five_minutes_is_stale(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.set(HEARTBEAT_KEY, time.time() - 5 * 60 - 1)
    assert client.get("/healthz").json()["worker"] == "stale"


def test_beat_sends_the_heartbeat_every_minute(settings):
    from brunswick.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry == {"task": "brunswick.health.heartbeat", "schedule": 60.0}
    app.loader.import_default_modules()  # What a worker does at start.
    assert "brunswick.health.heartbeat" in app.tasks


def test_it_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
