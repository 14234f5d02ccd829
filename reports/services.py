"""Everything that changes a report. Views and tasks call these and nothing else."""

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue
from brunswick.school.models import ClassGroup

from .credentials import hash_passphrase, new_passphrase, new_reference
from .models import Message, Report, ReportCategory, Screenshot
from .screenshots import CheckedScreenshot, check_screenshot


class TooManyScreenshots(Exception):
    pass


class ReportAlreadyTriaged(Exception):
    message = "This report has already been triaged"

    def __init__(self):
        super().__init__(self.message)


def report_check_awaiting_triage(report: Report) -> None:
    """Opening a case, adding to one and closing at triage all start here: call it on the
    row locked with select_for_update, so two staff cannot both triage one report."""
    if not report.is_awaiting_triage:
        raise ReportAlreadyTriaged


def screenshot_stage(*, token: uuid.UUID, data: bytes, name: str) -> Screenshot:
    """Check one upload by its content and keep it against a form's token.

    Raises ScreenshotRejected (nothing stored) or TooManyScreenshots. The caller's form
    keeps the token, so a failed submit never asks the parent to upload again.
    """
    if Screenshot.objects.staged_with(token).count() >= settings.SCREENSHOT_MAX_FILES:
        raise TooManyScreenshots
    checked = check_screenshot(
        data,
        name,
        max_bytes=settings.SCREENSHOT_MAX_BYTES,
        max_pixels=settings.SCREENSHOT_MAX_PIXELS,
    )
    return _screenshot_store(checked, staging_token=token)


def _screenshot_store(checked: CheckedScreenshot, **attached) -> Screenshot:
    stem = uuid.uuid4().hex  # Random names only: nothing a parent typed reaches the disk.
    screenshot = Screenshot(
        display_name=checked.display_name,
        source_format=checked.source_format,
        original_sha256=checked.original_sha256,
        working_sha256=checked.working_sha256,
        working_content_type=checked.working_content_type,
        width=checked.width,
        height=checked.height,
        size_bytes=len(checked.original),
        **attached,
    )
    screenshot.original.save(f"originals/{stem}", ContentFile(checked.original), save=False)
    screenshot.working.save(
        f"working/{stem}{checked.working_extension}", ContentFile(checked.working), save=False
    )
    screenshot.thumbnail.save(f"thumbnails/{stem}.jpg", ContentFile(checked.thumbnail), save=False)
    screenshot.save()
    return screenshot


def screenshot_unstage(*, token: uuid.UUID, screenshot_id: int) -> None:
    """Remove a staged screenshot the parent no longer wants (before submitting)."""
    for screenshot in Screenshot.objects.staged_with(token).filter(id=screenshot_id):
        _screenshot_delete_files(screenshot)
        screenshot.delete()


def _screenshot_delete_files(screenshot: Screenshot) -> None:
    for field in (screenshot.original, screenshot.working, screenshot.thumbnail):
        field.delete(save=False)


def staged_screenshots_discard(*, older_than: timedelta) -> int:
    """Delete screenshots staged on a form that was never submitted."""
    cutoff = timezone.now() - older_than
    stale = Screenshot.objects.filter(report__isnull=True, uploaded_at__lt=cutoff)
    count = 0
    for screenshot in stale:
        _screenshot_delete_files(screenshot)
        screenshot.delete()
        count += 1
    return count


@dataclass(frozen=True)
class ReportDetails:
    """What the parent told us, already validated by the form."""

    group: ClassGroup | None
    group_other: str
    categories: list[str]
    occurred_on: date
    occurred_at_time: time | None
    posted_by: str
    description: str
    reporter_name: str
    reporter_relationship: str
    reporter_email: str
    reporter_phone: str


@dataclass(frozen=True)
class Submission:
    report: Report
    # Shown to the parent once; None when this was a repeat of an earlier submit.
    passphrase: str | None


def report_submit(*, submission_key: uuid.UUID, details: ReportDetails) -> Submission:
    """Create the report, attach the screenshots staged under its key, and enqueue the
    notifications, all in one transaction: all of it is committed, or none of it.

    A second call with the same key (a double-click, a replayed POST) returns the first
    report and no passphrase.
    """
    existing = Report.objects.filter(submission_key=submission_key).first()
    if existing:
        return Submission(existing, None)
    passphrase = new_passphrase()
    try:
        with transaction.atomic():
            report = _report_create(submission_key, details, hash_passphrase(passphrase))
    except IntegrityError:
        # The other request of a double-click won the race; it owns the passphrase.
        existing = Report.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return Submission(existing, None)
    return Submission(report, passphrase)


def _report_create(submission_key: uuid.UUID, details: ReportDetails, passphrase_hash: str):
    fields = {k: v for k, v in details.__dict__.items() if k != "categories"}
    report = Report.objects.create(
        reference=_unused_reference(),
        passphrase_hash=passphrase_hash,
        submission_key=submission_key,
        **fields,
    )
    ReportCategory.objects.bulk_create(
        ReportCategory(report=report, category=code) for code in details.categories
    )
    screenshots = list(Screenshot.objects.staged_with(submission_key).select_for_update())
    for screenshot in screenshots:
        screenshot.report = report
        screenshot.staging_token = None
        screenshot.save(update_fields=["report", "staging_token"])
    audit_record(
        action=AuditEvent.Action.REPORT_SUBMITTED,
        obj=report,
        actor_kind="reporter",
        screenshots=len(screenshots),
    )
    outbox_enqueue(kind=OutboxMessage.Kind.NEW_REPORT_TO_STAFF, object_id=report.id)
    if report.reporter_email:
        outbox_enqueue(kind=OutboxMessage.Kind.ACKNOWLEDGE_REPORTER, object_id=report.id)
    return report


def _unused_reference() -> str:
    # 40 bits: a clash is rare, but cheap to rule out.
    while True:
        reference = new_reference()
        if not Report.objects.filter(reference=reference).exists():
            return reference


def report_add_information(*, report: Report, body: str, staging_token: uuid.UUID) -> Message:
    """The reporter adds a message, with any screenshots staged on its form."""
    with transaction.atomic():
        message = Message.objects.create(report=report, author=Message.Author.REPORTER, body=body)
        staged = list(Screenshot.objects.staged_with(staging_token).select_for_update())
        for screenshot in staged:
            screenshot.report = report
            screenshot.message = message
            screenshot.staging_token = None
            screenshot.save(update_fields=["report", "message", "staging_token"])
        audit_record(
            action=AuditEvent.Action.REPORTER_ADDED_INFORMATION,
            obj=report,
            actor_kind="reporter",
            screenshots=len(staged),
        )
    return message


def report_close(*, report: Report, reason: str, message: str, acting_user) -> Report:
    """Close a report at triage with a reason. A message, if written, goes to the reporter's
    follow-up page (for example, where a concern outside the policy belongs)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(id=report.id)
        report_check_awaiting_triage(report)
        before = report.status
        report.status, report.closed_reason = Report.Status.CLOSED, reason
        report.triaged_at, report.triaged_by = timezone.now(), acting_user
        report.save(
            update_fields=["status", "closed_reason", "triaged_at", "triaged_by", "updated_at"]
        )
        if message.strip():
            _message_to_reporter(report, message, acting_user)
        audit_record(
            action=AuditEvent.Action.REPORT_CLOSED,
            obj=report,
            actor=acting_user,
            reason=reason,
            status=[before, Report.Status.CLOSED],
        )
    return report


def report_message_reporter(*, report: Report, body: str, acting_user) -> Message:
    """A message from the school on the reporter's follow-up page. Nothing is e-mailed with
    it: the reporter reads it with their reference and passphrase."""
    with transaction.atomic():
        return _message_to_reporter(report, body, acting_user)


def _message_to_reporter(report: Report, body: str, acting_user) -> Message:
    message = Message.objects.create(
        report=report, author=Message.Author.SCHOOL, staff_author=acting_user, body=body.strip()
    )
    audit_record(action=AuditEvent.Action.MESSAGE_TO_REPORTER, obj=report, actor=acting_user)
    return message
