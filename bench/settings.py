"""Settings for the processes that `make bench` and `make loadtest` start (gunicorn, the
Celery worker, and the orchestrating process itself). Only those processes use them.

Everything comes from brunswick.settings (and so from the environment the stack sets:
DATABASE_URL, REDIS_URL, EMAIL_URL, rate limits). On top: a middleware that reports each
request's server time and SQL query count in response headers, and a URLconf with the
"floor" page that every other page is compared with.
"""

from brunswick.settings import *  # noqa: F403
from brunswick.settings import MIDDLEWARE

# Outermost, so the time covers every other middleware and reading the request body.
MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
