"""Staff pages about reports: the newest reports, a report, and its screenshots."""

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

from .models import Report
from .selectors import get_report_for_user, get_screenshot_for_user

READERS = (Role.SLT, Role.HEAD_TEACHER)


@staff_required()
def staff_home(request):
    """SLT and the Head Teacher see the newest reports; other roles see what they can do."""
    page = None
    if request.user.can_read_reports():
        reports = Report.objects.newest_first().select_related("group")
        page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "reports/staff_home.html", {"page": page})


@never_cache
@staff_required(*READERS)
def report_detail(request, reference: str):
    report = get_report_for_user(request.user, reference)
    audit_record(action=AuditEvent.Action.REPORT_VIEWED, obj=report, actor=request.user)
    return render(request, "reports/staff_report.html", {"report": report})


@never_cache
@staff_required(*READERS)
def screenshot_file(request, screenshot_id: int, thumbnail: bool):
    """The working copy or its thumbnail: never the sealed original, never a name a parent
    chose, always with a fixed content type so a browser cannot be tricked into sniffing."""
    screenshot = get_screenshot_for_user(request.user, screenshot_id)
    if thumbnail:  # Thumbnails are part of viewing the report: no event of their own.
        field, content_type, name = screenshot.thumbnail, "image/jpeg", "thumbnail.jpg"
    else:
        field, content_type = screenshot.working, screenshot.working_content_type
        name = "screenshot.jpg" if content_type == "image/jpeg" else "screenshot.png"
        audit_record(action=AuditEvent.Action.SCREENSHOT_VIEWED, obj=screenshot, actor=request.user)
    response = FileResponse(
        field.open("rb"), content_type=content_type, filename=f"{screenshot.id}-{name}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'none'"
    return response
