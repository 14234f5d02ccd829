"""Error pages that show the request's reference, so staff can quote it to support."""

import logging

from django.db import OperationalError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django_ratelimit.exceptions import Ratelimited

from brunswick.audit.events import current_request_id

logger = logging.getLogger(__name__)


def reference_of(request) -> str:
    return getattr(request, "request_id", "") or current_request_id.get()


def _page(request, template: str, status: int):
    return render(request, template, {"reference": reference_of(request)}, status=status)


def bad_request(request, exception=None):
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    if isinstance(exception, Ratelimited):  # django-ratelimit's decorator raises this.
        return too_many_requests(request, exception)
    return _page(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without its token (cookies blocked, or the
    form came from another site). Django's own page would name Django and its settings."""
    logger.warning("form refused (CSRF): %s %s", request.path, reason)
    return _page(request, "403_csrf.html", 403)


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404)


def too_many_requests(request, exception=None):
    """A rate limit was exceeded."""
    return _page(request, "429.html", 429)


def server_error(request):
    """The 500 page. Never raises: whatever broke may break rendering too.

    No context processors (they query the database, which may be what failed).
    """
    reference = reference_of(request)
    try:
        page = loader.get_template("500.html").render({"reference": reference})
    except Exception as exc:
        logger.error("500 page not rendered: %s", type(exc).__name__)
        page = f"<h1>Sorry, there is a problem with the service</h1><p>Reference: {reference}</p>"
    return HttpResponseServerError(page)


class DatabaseBusyMiddleware:
    """A write that waited its whole turn for the embedded SQLite database (another request
    or the worker was writing) gets "try again", not a 500: nothing was saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and "locked" in str(exception):
            logger.warning("database busy: %s", request.path)
            return _page(request, "503.html", 503)
        return None
