"""Rate limits on what anyone on the internet can do without an account.

Limits live in the shared cache (Redis in production). If the cache is down we let the
request through and log it: a school would rather accept a report than lose one, and
every other defence (the idempotency key, the upload checks) still applies.
"""

import logging

from django.conf import settings
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def over_limit(request, *, group: str, rate: str, key="ip") -> bool:
    """True if this request goes over `rate` for `key`; counts the request."""
    try:
        return is_ratelimited(
            request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=True
        )
    except Exception as exc:  # Cache unreachable: fail open, and say so.
        logger.warning(
            "rate limit %s not checked, cache unavailable: %s", group, type(exc).__name__
        )
        return False


def report_submissions_over_limit(request) -> bool:
    # Check both limits every time, so each keeps counting.
    per_address = over_limit(request, group="report-submit", rate=settings.REPORT_RATE_PER_ADDRESS)
    everyone = over_limit(
        request, group="report-submit-all", rate=settings.REPORT_RATE_GLOBAL, key=lambda g, r: "all"
    )
    return per_address or everyone


def follow_up_over_limit(request, reference: str) -> bool:
    per_address = over_limit(request, group="follow-up", rate=settings.FOLLOW_UP_RATE_PER_ADDRESS)
    per_reference = over_limit(
        request,
        group="follow-up-reference",
        rate=settings.FOLLOW_UP_RATE_PER_REFERENCE,
        key=lambda g, r: reference or "none",
    )
    return per_address or per_reference
