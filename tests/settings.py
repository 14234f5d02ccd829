"""Settings for the test suite.

By default the suite runs against real servers it starts itself: a throwaway PostgreSQL
cluster and a redis-server on free loopback ports. With BRUNSWICK_TEST_DATABASE=sqlite it
runs on the embedded defaults instead (SQLite, eager Celery, no Redis): the smoke subset
runs that way too, so the default a new user gets never rots.
"""

import atexit
import os
import shutil
import tempfile

from tests.servers import start_servers

EMBEDDED = os.environ.get("BRUNSWICK_TEST_DATABASE") == "sqlite"
SERVERS = None if EMBEDDED else start_servers()

os.environ["BRUNSWICK_VAR_DIR"] = tempfile.mkdtemp(prefix="bp-test-var-")
atexit.register(shutil.rmtree, os.environ["BRUNSWICK_VAR_DIR"], ignore_errors=True)
for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG"):
    os.environ.pop(name, None)
if SERVERS:
    os.environ["DATABASE_URL"] = SERVERS.postgres.url
    os.environ["REDIS_URL"] = SERVERS.redis.url
# Tasks run in-process unless a test starts a real worker (tests/celery_worker.py), on
# Redis or, on the embedded default, on the filesystem broker.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"

from brunswick.settings import *  # noqa: E402, F403

# Fast hashes: the suite creates many passphrases and passwords. Production keeps PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSPHRASE_HASH_ITERATIONS = 1_000
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)

if SERVERS:
    # Between tests the suite empties every table with TRUNCATE, which the audit table's
    # trigger refuses unless the session says otherwise (brunswick.audit.models).
    DATABASES["default"]["OPTIONS"] = {"options": "-c brunswick.allow_truncate=on"}  # noqa: F405
else:
    # A file, not SQLite's shared in-memory database: its table locks ignore the busy
    # timeout, so tests of two writers at once would see errors the real file never gives.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
