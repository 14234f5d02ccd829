"""Everything that changes a report. Views and tasks call these and nothing else."""

import hashlib
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
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


class StagingRefused(Exception):
    """No more screenshots can be kept before a form is sent: the form's share, the share
    of all unsent forms, or the disk's free space is used up. The report can still be sent,
    and the screenshots added afterwards from the follow-up page."""

    message = (
        "The screenshots could not be added now. Send your report without them, then add "
        "them from the follow-up page with your reference and passphrase"
    )

    def __init__(self):
        super().__init__(self.message)


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
    staged = Screenshot.objects.staged_with(token)
    # The same file chosen again (or sent twice by a double-click): the one already kept.
    already = staged.filter(original_sha256=hashlib.sha256(data).hexdigest()).first()
    if already:
        return already
    if staged.count() >= settings.SCREENSHOT_MAX_FILES:
        raise TooManyScreenshots
    staging_check_room(token=token, size=len(data))
    checked = check_screenshot(
        data,
        name,
        max_bytes=settings.SCREENSHOT_MAX_BYTES,
        max_pixels=settings.SCREENSHOT_MAX_PIXELS,
    )
    return _screenshot_store(checked, staging_token=token)


def staging_check_room(*, token: uuid.UUID, size: int) -> None:
    """Raise StagingRefused unless `size` more bytes fit on this form, among all unsent
    forms, and on the disk above its floor. Only new files come here: a report whose files
    are already kept is sent however full the disk."""
    unsent = Screenshot.objects.filter(report__isnull=True)
    on_form = unsent.filter(staging_token=token).aggregate(total=Sum("size_bytes"))["total"]
    everywhere = unsent.aggregate(total=Sum("size_bytes"))["total"]
    # A screenshot is kept three times (original, working copy, thumbnail): count it twice
    # against the disk, so the floor holds even for the copies.
    free = _free_bytes(Path(settings.PRIVATE_MEDIA_ROOT)) - 2 * size
    if (
        (on_form or 0) + size > settings.STAGED_BYTES_PER_FORM
        or (everywhere or 0) + size > settings.STAGED_BYTES_TOTAL
        or free < settings.DISK_FREE_FLOOR_BYTES
    ):
        raise StagingRefused


def _free_bytes(path: Path) -> int:
    while not path.exists() and path != path.parent:  # Before the first file is kept.
        path = path.parent
    return shutil.disk_usage(path).free


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
    _unsent_delete(Screenshot.objects.staged_with(token).filter(id=screenshot_id))


def _unsent_delete(screenshots) -> int:
    """Delete screenshots staged on a form and never attached to a report, files and rows:
    they belong to no record, so no audit event (tests/audit_guard.py says why)."""
    count = 0
    for screenshot in screenshots:
        for field in (screenshot.original, screenshot.working, screenshot.thumbnail):
            field.delete(save=False)
        screenshot.delete()
        count += 1
    return count


def staged_screenshots_discard(*, older_than: timedelta) -> int:
    """Delete screenshots staged on a form that was never submitted."""
    cutoff = timezone.now() - older_than
    return _unsent_delete(Screenshot.objects.filter(report__isnull=True, uploaded_at__lt=cutoff))


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


def report_submit(
    *,
    submission_key: uuid.UUID,
    details: ReportDetails,
    on_made: Callable[[Submission], None] | None = None,
) -> Submission:
    """Create the report, attach the screenshots staged under its key, and enqueue the
    notifications, all in one transaction: all of it is committed, or none of it.
    `on_made` runs inside that transaction (the view keeps the parent's receipt there).

    A second call with the same key (a double-click, a replayed POST) returns the first
    report and no passphrase.
    """
    existing = Report.objects.filter(submission_key=submission_key).first()
    if existing:
        return _repeat(existing)
    passphrase = new_passphrase()
    hashed = hash_passphrase(passphrase)  # Slow on purpose: outside the transaction.
    try:
        with transaction.atomic():
            submission = Submission(_report_create(submission_key, details, hashed), passphrase)
            if on_made:
                on_made(submission)
    except IntegrityError:
        # The other request of a double-click won the race; it owns the passphrase.
        existing = Report.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return _repeat(existing)
    return submission


def _repeat(report: Report) -> Submission:
    # Files this repeat staged after the first send took its own are not wanted.
    _unsent_delete(Screenshot.objects.staged_with(report.submission_key))
    return Submission(report, None)


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
    screenshots = _distinct(Screenshot.objects.staged_with(submission_key).select_for_update())
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


def report_add_information(
    *, report: Report, body: str, staging_token: uuid.UUID
) -> Message | None:
    """The reporter adds a message, with any screenshots staged on its form: either alone
    is enough. The form sent again (a double-click, a replay) returns the first message;
    None when there is nothing to add."""
    existing = Message.objects.filter(submission_key=staging_token).first()
    if existing:
        _unsent_delete(Screenshot.objects.staged_with(staging_token))
        return existing
    try:
        with transaction.atomic():
            return _message_from_reporter(report, body, staging_token)
    except IntegrityError:  # The other request of a double-click added it first.
        existing = Message.objects.filter(submission_key=staging_token).first()
        if existing is None:
            raise
        _unsent_delete(Screenshot.objects.staged_with(staging_token))
        return existing


def _message_from_reporter(report: Report, body: str, staging_token: uuid.UUID):
    staged = _distinct(Screenshot.objects.staged_with(staging_token).select_for_update())
    if not body.strip() and not staged:
        return None
    message = Message.objects.create(
        report=report,
        author=Message.Author.REPORTER,
        body=body.strip(),
        submission_key=staging_token,
    )
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


def _distinct(staged) -> list[Screenshot]:
    """The staged screenshots, each file once. Requests of a double-click each stage the
    files they carry: the copies beyond the first are deleted, never attached."""
    kept: dict[str, Screenshot] = {}
    copies = []
    for screenshot in staged:
        if screenshot.original_sha256 in kept:
            copies.append(screenshot)
        else:
            kept[screenshot.original_sha256] = screenshot
    _unsent_delete(copies)
    return list(kept.values())


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
