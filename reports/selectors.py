"""Reads that the parent's pages share."""

import uuid

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from .models import Message, Report, Screenshot

FOLLOW_UP_SESSION_KEY = "follow_up"


def submission_key_from(data) -> uuid.UUID:
    """The form's idempotency key, or a new one when missing or forged."""
    try:
        return uuid.UUID(str(data.get("submission_key", "")))
    except ValueError:
        return uuid.uuid4()


def follow_up_sign_in(request, report: Report) -> None:
    # A new session id: whoever held the old cookie does not inherit the access.
    request.session.cycle_key()
    expires = timezone.now().timestamp() + settings.FOLLOW_UP_SESSION_SECONDS
    request.session[FOLLOW_UP_SESSION_KEY] = {"report": report.id, "until": expires}


def get_report_for_reporter(request) -> Report | None:
    """The report this browser signed in to with its reference and passphrase, if still valid."""
    grant = request.session.get(FOLLOW_UP_SESSION_KEY)
    if not grant or grant["until"] < timezone.now().timestamp():
        request.session.pop(FOLLOW_UP_SESSION_KEY, None)
        return None
    return Report.objects.select_related("group").filter(id=grant["report"]).first()


def get_report_for_user(user, reference: str) -> Report:
    """The report, if this staff member may read reports; otherwise 404, so an outsider
    cannot even learn whether a reference exists."""
    if not user.can_read_reports():
        raise Http404
    report = (
        Report.objects.select_related("group")
        .prefetch_related(
            "categories",
            Prefetch("screenshots", Screenshot.objects.order_by("uploaded_at", "id")),
            Prefetch("messages", Message.objects.order_by("sent_at", "id")),
        )
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise Http404
    return report


def get_screenshot_for_user(user, screenshot_id: int) -> Screenshot:
    """A screenshot attached to a report (never a staged one), for those who read reports."""
    if not user.can_read_reports():
        raise Http404
    screenshot = Screenshot.objects.filter(id=screenshot_id, report__isnull=False).first()
    if screenshot is None:
        raise Http404
    return screenshot
