"""/healthz for the load balancer and monitoring, and the worker's heartbeat.

The page names each dependency with a one-word state and nothing else: no versions,
hosts or error text.
"""

import logging
import time

import redis
from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "health:worker-heartbeat"
# Beat sends the heartbeat every minute (settings.CELERY_BEAT_SCHEDULE).
HEARTBEAT_STALE_SECONDS = 5 * 60


@shared_task(name="brunswick.health.heartbeat")
def heartbeat() -> None:
    """Record that a worker is taking tasks from the queue."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@worker_ready.connect
def _heartbeat_when_ready(**kwargs) -> None:
    # At once, not a minute later when beat first sends it: /healthz is right from the start.
    heartbeat()


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:
        logger.warning("health: database unavailable: %s", type(exc).__name__)
        return "fail"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return "ok"
    except Exception as exc:
        logger.warning("health: redis unavailable: %s", type(exc).__name__)
        return "fail"


def check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # Tasks run inside the web process: there is no worker to ask.
    try:
        beat_at = cache.get(HEARTBEAT_KEY)
    except Exception as exc:
        logger.warning("health: heartbeat unreadable: %s", type(exc).__name__)
        return "fail"
    if beat_at is None or time.time() - float(beat_at) > HEARTBEAT_STALE_SECONDS:
        return "stale"
    return "ok"


@login_not_required
@never_cache
def healthz(request):
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    healthy = all(state in ("ok", "eager", "not configured") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503
    )
