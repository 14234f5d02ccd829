import os

import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from brunswick.accounts.models import Role
from tests.factories import ClassGroupFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with sync Playwright

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    # Rate-limit counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test gets its own folder of evidence files."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def groups(db):
    return [ClassGroupFactory(name=name) for name in ("Year 1", "Year 2", "Year 3")]


@pytest.fixture
def slt(db):
    return UserFactory(username="alice", role=Role.SLT)


@pytest.fixture
def head_teacher(db):
    return UserFactory(username="helen", role=Role.HEAD_TEACHER)


@pytest.fixture
def office(db):
    return UserFactory(username="oscar", role=Role.OFFICE)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", role=Role.ADMIN)


def sign_in(client, user):
    """Sign a staff member in with both factors, as the login page would."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


@pytest.fixture
def servers():
    """The suite's own PostgreSQL and Redis (absent on the embedded SQLite run)."""
    from tests.settings import SERVERS

    if SERVERS is None:
        pytest.fail(
            "this test needs the real servers: run it without BRUNSWICK_TEST_DATABASE=sqlite"
        )
    yield SERVERS
    if SERVERS.redis.process.poll() is not None:  # The test stopped Redis: bring it back.
        SERVERS.redis.resume()


@pytest.fixture
def celery_worker(transactional_db, servers, tmp_path):
    """Start a real worker with `celery_worker()`; tasks go through the real Redis."""
    from tests.celery_worker import RealBroker, start_worker

    workers = []

    def start(**options):
        workers.append(start_worker(tmp_path / f"worker{len(workers)}", **options))
        return workers[-1]

    with RealBroker():
        yield start
    for worker in workers:
        worker.stop()
