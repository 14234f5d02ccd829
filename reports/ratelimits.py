"""Rate limits on what anyone on the internet can do without an account.

Limits live in the shared cache (Redis in production). When the cache is down:
- sending a report fails open: a school would rather accept a report than lose one, and
  the idempotency key and the upload checks still apply;
- "Add these screenshots" fails closed: a file kept on disk costs the school, and a parent
  can still send the report, or add the screenshots later from the follow-up page; the
  files that come with a send are let through, as the send is.

Follow-up sign-in is limited per address, and per address and reference, never per
reference alone: a stranger who knows a reference could otherwise keep its reporter out.
docs/architecture.md ("Guessing a passphrase") has the arithmetic.
"""

import logging

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from brunswick.security import client_ip

logger = logging.getLogger(__name__)


def _everyone(group, request) -> str:
    return "all"


def over_limit(request, *, group: str, rate: str, key="ip", increment=True, fail_open=True) -> bool:
    """Counting (`increment`): True if this request goes over `rate` for `key`.
    Not counting: True if one more would, so a check and a later count agree."""
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, method=ALL, increment=increment)
    except Exception as exc:  # Cache unreachable: say so, and fail as the caller chose.
        logger.warning(
            "rate limit %s not checked, cache unavailable: %s", group, type(exc).__name__
        )
        return not fail_open
    if usage is None:  # RATELIMIT_ENABLE is off.
        return False
    if usage["time_left"] == -1:  # django-ratelimit's answer when the cache gave nothing.
        logger.warning("rate limit %s not checked, cache gave no count", group)
        return not fail_open
    return usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]


def _report_limits(request, *, increment: bool) -> bool:
    # Both limits are checked every time, so each keeps counting.
    per_address = over_limit(
        request, group="report-submit", rate=settings.REPORT_RATE_PER_ADDRESS, increment=increment
    )
    everyone = over_limit(
        request,
        group="report-submit-all",
        rate=settings.REPORT_RATE_GLOBAL,
        key=_everyone,
        increment=increment,
    )
    return per_address or everyone


def report_submissions_over_limit(request) -> bool:
    """Would one more report from this address go over a limit? Counts nothing."""
    return _report_limits(request, increment=False)


def report_submission_counted(request) -> None:
    """Count a report that was made. Only a report made counts: a replay or the second
    of a double-click never turns into "Too many attempts" for the parent."""
    _report_limits(request, increment=True)


def screenshot_staging_over_limit(request, *, sending: bool) -> bool:
    """Counts one request that stages files. Over if this address is over its staging
    limit, everyone together is over theirs, or this address may not send reports now.
    With the cache down, "Add these screenshots" is refused; a send (`sending`) carrying
    files is let through, as sends are, and the byte caps and disk floor still hold."""
    if report_submissions_over_limit(request):
        return True
    per_address = over_limit(
        request,
        group="screenshot-stage",
        rate=settings.SCREENSHOT_STAGE_RATE_PER_ADDRESS,
        fail_open=sending,
    )
    everyone = over_limit(
        request,
        group="screenshot-stage-all",
        rate=settings.SCREENSHOT_STAGE_RATE_GLOBAL,
        key=_everyone,
        fail_open=sending,
    )
    return per_address or everyone


def _address_and_reference(reference: str):
    def key(group, request) -> str:
        return f"{client_ip(request)}|{reference or 'none'}"

    return key


def follow_up_over_limit(request, reference: str) -> bool:
    """Counts a sign-in attempt from this address; checks, without counting, this
    address's wrong passphrases for this reference."""
    per_address = over_limit(request, group="follow-up", rate=settings.FOLLOW_UP_RATE_PER_ADDRESS)
    per_pair = over_limit(
        request,
        group="follow-up-reference",
        rate=settings.FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE,
        key=_address_and_reference(reference),
        increment=False,
    )
    return per_address or per_pair


def follow_up_failure_counted(request, reference: str) -> None:
    over_limit(
        request,
        group="follow-up-reference",
        rate=settings.FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE,
        key=_address_and_reference(reference),
    )
