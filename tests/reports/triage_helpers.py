"""Helpers for the triage tests: reports of a given age, evidence, and the reporter's view."""

import uuid
from datetime import datetime

from django.test import Client
from django.utils import timezone

from cases.services import case_open
from reports.models import Message, Report, Screenshot
from reports.services import screenshot_stage
from tests.images import png_bytes

PASSPHRASE = "apple banana cherry damson elder"  # What tests.factories.ReportFactory uses.


def received_at(report: Report, when: datetime) -> Report:
    """Backdate a report (submitted_at is set on creation and cannot be passed in)."""
    Report.objects.filter(id=report.id).update(submitted_at=when)
    report.refresh_from_db()
    return report


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def attach_screenshot(report: Report, message: Message | None = None, shade: int = 9):
    screenshot = screenshot_stage(
        token=uuid.uuid4(), data=png_bytes(colour=(shade, shade, shade)), name="chat.png"
    )
    screenshot.report, screenshot.message, screenshot.staging_token = report, message, None
    screenshot.save()
    return screenshot


def in_a_case(report: Report, lead, title: str = "Comments about a teacher"):
    return case_open(report=report, title=title, lead=lead, acting_user=lead)


def reporter_page(report: Report) -> str:
    """The reporter's follow-up page, signed in with the reference and passphrase."""
    reporter = Client()
    signed_in = reporter.post(
        "/follow-up/", {"reference": report.reference, "passphrase": PASSPHRASE}
    )
    assert signed_in.status_code == 302, signed_in.content.decode()
    return reporter.get("/follow-up/report/").content.decode()


def screenshot_ids_in_order(html: str, screenshots: list[Screenshot]) -> list[int]:
    """The screenshots' thumbnails as they appear on the page, first to last."""
    found = [(html.find(f"/staff/screenshots/{s.id}/thumbnail/"), s.id) for s in screenshots]
    assert all(position >= 0 for position, _ in found), found
    return [screenshot_id for _, screenshot_id in sorted(found)]
