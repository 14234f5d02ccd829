"""Staff sessions end after a while without use, and after a working day in all."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# Record activity at most once a minute, so that not every page view writes the session.
LAST_SEEN_RESOLUTION_SECONDS = 60


def staff_session_start(session: SessionBase) -> None:
    """Called on every sign-in (brunswick.accounts.signals): both clocks start now."""
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def staff_session_end_reason(session: SessionBase, now: float) -> str | None:
    """Why this staff session is over, in words for the sign-in page; None if it is not."""
    # A session from before these keys existed starts its clocks now.
    signed_in_at = session.setdefault(SIGNED_IN_AT, now)
    last_seen_at = session.setdefault(LAST_SEEN_AT, now)
    if now - signed_in_at > settings.STAFF_SESSION_MAX_SECONDS:
        return f"you had been signed in for {_in_words(settings.STAFF_SESSION_MAX_SECONDS)}"
    if now - last_seen_at > settings.STAFF_SESSION_IDLE_SECONDS:
        return f"you had not used the portal for {_in_words(settings.STAFF_SESSION_IDLE_SECONDS)}"
    return None


def _in_words(seconds: int) -> str:
    count, unit = (seconds // 3600, "hour") if seconds % 3600 == 0 else (seconds // 60, "minute")
    return f"{count} {unit}{'' if count == 1 else 's'}"


class StaffSessionTimeoutMiddleware:
    """Signs a staff member out after STAFF_SESSION_IDLE_SECONDS without a request, or
    STAFF_SESSION_MAX_SECONDS after signing in, and says why on the sign-in page.

    Parents never sign in: their follow-up access is a grant in the session with its own
    expiry (reports.selectors), so their requests pass straight through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            reason = staff_session_end_reason(request.session, now)
            if reason:
                logout(request)  # Flushes the session: nothing from it survives.
                messages.info(request, f"You were signed out because {reason}. Sign in again.")
                return _to_sign_in(request)
            if now - request.session[LAST_SEEN_AT] >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    # Answer with a redirect rather than carry on: the rest of this request would see an
    # anonymous user that the OTP middleware never prepared.
    login_url = resolve_url(settings.LOGIN_URL)
    if request.path == login_url:
        return redirect(login_url)  # Not "?next=" the sign-in page itself.
    return redirect_to_login(request.get_full_path(), login_url)
