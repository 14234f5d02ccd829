"""Staff pages about reports: the triage inbox and the screenshots. A report's own page,
with its triage actions and messages to the reporter, is in cases (cases/triage_views.py):
triage is where a report becomes a case, and reports may not import cases."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.calendar import SchoolCalendar, school_calendar
from brunswick.school.models import SchoolSettings

from .filters import ReportFilter
from .models import Report, ReportCategory
from .selectors import get_screenshot_for_user

READERS = (Role.SLT, Role.HEAD_TEACHER)
INBOX_PAGE_SIZE = 25
INBOX_FILTERS = "reports/includes/inbox_filters.html"


@dataclass(frozen=True)
class Clock:
    """How long a report has waited, against the school's acknowledgement target."""

    text: str
    colour: str  # A GOV.UK tag modifier ("" for the default blue).


def _school_days(days: int) -> str:
    return f"{days} school day{'' if days == 1 else 's'}"


def report_clock(report: Report, *, calendar: SchoolCalendar, target: int, today: date) -> Clock:
    arrived = timezone.localdate(report.submitted_at)
    if report.triaged_at:  # The clock stops at triage: the reporter has their answer.
        days = calendar.school_days_since(arrived, timezone.localdate(report.triaged_at))
        return Clock(
            "Triaged the same day" if not days else f"Triaged in {_school_days(days)}", "grey"
        )
    days = calendar.school_days_since(arrived, today)
    if report.status != Report.Status.RECEIVED:
        return Clock(_school_days(days), "grey")
    if days > target:
        return Clock(f"Overdue: {_school_days(days)}", "red")
    return Clock(f"{days} of {target} school days", "yellow" if days == target else "")


def clock_for_reports(school: SchoolSettings) -> Callable[[Report], Clock]:
    """One load of the calendar, however many reports are timed with it: the inbox's rows
    here, and a report's own page (cases/triage_views.py)."""
    calendar, today = school_calendar(), timezone.localdate()
    target = school.acknowledgement_target_school_days
    return lambda report: report_clock(report, calendar=calendar, target=target, today=today)


@dataclass(frozen=True)
class InboxRow:
    report: Report
    clock: Clock


def _inbox_reports():
    # A fixed number of queries per page, however many rows: the page, its categories.
    return (
        Report.objects.select_related("group", "case")
        .prefetch_related(Prefetch("categories", ReportCategory.objects.order_by("id")))
        .defer("description", "passphrase_hash")
        .order_by("-submitted_at", "-id")
    )


@never_cache
@staff_required()
def staff_home(request):
    """SLT and the Head Teacher triage reports here; other roles see what they can do."""
    if not request.user.can_read_reports():
        return render(request, "reports/staff_home.html")
    inbox = ReportFilter(request.GET, queryset=_inbox_reports(), request=request)
    if not inbox.is_valid():  # A mistyped or stale link: say what is wrong, list nothing.
        return render(request, "reports/staff_home.html", {"inbox": inbox}, status=400)
    page = Paginator(inbox.qs, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    school = SchoolSettings.current()  # Also the layout's `school`: read once per page.
    clock = clock_for_reports(school)
    rows = [InboxRow(report, clock(report)) for report in page]
    context = {
        "inbox": inbox,
        "filters_html": _inbox_filters_html(_filter_query(request), _group_key(inbox)),
        "page": page,
        "rows": rows,
        "filtered": _is_filtered(request),
        "school": school,
    }
    return render(request, "reports/staff_home.html", context)


def _filter_query(request) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, value)
        for name, values in sorted(request.GET.lists())
        if name != "page"
        for value in values
    )


def _group_key(inbox: ReportFilter) -> tuple[tuple[str, str], ...]:
    return tuple(inbox.filters["group"].extra["choices"])


@lru_cache(maxsize=256)
def _inbox_filters_html(query: tuple[tuple[str, str], ...], groups: tuple) -> str:
    """The filter form for one valid query string, rendered once per process.

    crispy-forms took 15 to 30 ms to render the seven fields on every inbox page
    (docs/performance.md). The form depends only on the query and the class groups (their
    ids and names), and both are the key, so a renamed group shows at once. Refused
    filters are never cached: that page renders its errors itself.
    """
    data = QueryDict(mutable=True)
    for name, value in query:
        data.appendlist(name, value)
    inbox = ReportFilter(data, queryset=Report.objects.none())
    inbox.is_valid()
    return render_to_string(INBOX_FILTERS, {"inbox": inbox})


def _is_filtered(request) -> bool:
    return any(value for name, value in request.GET.items() if name != "page")


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
