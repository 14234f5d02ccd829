"""A report's staff page, where a report is triaged: open a case from it, add it to a case,
or close it with a reason; and message the reporter. In cases because triage is where a
report becomes a case; the inbox and the screenshots stay in reports (reports/staff_views.py).
"""

from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.models import SchoolSettings
from reports.models import ClosedReason, Message, Report, Screenshot
from reports.selectors import get_report_for_user
from reports.services import ReportAlreadyTriaged, report_close, report_message_reporter
from reports.staff_views import clock_for_reports

from .ladder import LadderError
from .services import case_open, report_add_to_case
from .triage_forms import AddToCaseForm, CloseReportForm, MessageReporterForm, OpenCaseForm
from .views import READERS


@dataclass(frozen=True)
class Evidence:
    number: int  # Numbered in the order received, across the report and its messages.
    screenshot: Screenshot


@dataclass(frozen=True)
class ThreadEntry:
    message: Message
    screenshots: list[Evidence]


def _evidence(report: Report) -> tuple[list[Evidence], list[ThreadEntry]]:
    """The screenshots sent with the report, and each message with the screenshots sent
    with it, from what the selector already prefetched: no query per message."""
    by_message: dict[int | None, list[Evidence]] = defaultdict(list)
    for number, screenshot in enumerate(report.screenshots.all(), start=1):
        by_message[screenshot.message_id].append(Evidence(number, screenshot))
    thread = [ThreadEntry(m, by_message.get(m.id, [])) for m in report.messages.all()]
    return by_message.get(None, []), thread


def _page_forms(request, report: Report, failed: forms.Form | None) -> dict[str, forms.Form]:
    """Fresh forms for the page, with the one that failed (if any) in its place. A triage
    form that failed stays on the page even if someone triaged the report meanwhile, so
    what was typed is not lost."""
    page_forms: dict[str, forms.Form] = {MessageReporterForm.prefix: MessageReporterForm()}
    if report.is_awaiting_triage or (failed and not isinstance(failed, MessageReporterForm)):
        page_forms |= {
            OpenCaseForm.prefix: OpenCaseForm(initial={"lead": request.user.pk}),
            AddToCaseForm.prefix: AddToCaseForm(),
            CloseReportForm.prefix: CloseReportForm(),
        }
    if failed is not None:
        page_forms[failed.prefix] = failed
    return page_forms


def _report_page(request, report: Report, failed: forms.Form | None = None):
    """The report with its evidence, messages and forms; with `failed`, the form that came
    back with errors (status 400). A failed form records no second "report viewed" event:
    the member of staff is still on the page they opened."""
    prefetch_related_objects([report], "case", "triaged_by")
    prefetch_related_objects(list(report.messages.all()), "staff_author")
    screenshots, thread = _evidence(report)
    school = SchoolSettings.current()  # Also the layout's `school`: read once per page.
    context = {
        "school": school,
        "report": report,
        "clock": clock_for_reports(school)(report),
        "screenshots": screenshots,
        "thread": thread,
        "forms": _page_forms(request, report, failed),
        "failed_form": failed,
    }
    return render(request, "reports/staff_report.html", context, status=400 if failed else 200)


@never_cache
@staff_required(*READERS)
def report_detail(request, reference: str):
    report = get_report_for_user(request.user, reference)
    audit_record(action=AuditEvent.Action.REPORT_VIEWED, obj=report, actor=request.user)
    return _report_page(request, report)


@never_cache
@staff_required(*READERS)
@require_POST
def report_open_case(request, reference: str):
    report = get_report_for_user(request.user, reference)
    form = OpenCaseForm(request.POST)
    if form.is_valid():
        try:
            case = case_open(
                report=report,
                title=form.cleaned_data["title"],
                lead=form.cleaned_data["lead"],
                acting_user=request.user,
            )
        except (LadderError, ReportAlreadyTriaged) as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"{case.code} opened from report {report.reference}")
            return redirect(case)
    return _report_page(request, report, failed=form)


@never_cache
@staff_required(*READERS)
@require_POST
def report_add_to_existing_case(request, reference: str):
    report = get_report_for_user(request.user, reference)
    form = AddToCaseForm(request.POST)
    if form.is_valid():
        case = form.cleaned_data["case"]
        try:
            report_add_to_case(report=report, case=case, acting_user=request.user)
        except (LadderError, ReportAlreadyTriaged) as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Report {report.reference} added to {case.code}")
            return redirect(case)
    return _report_page(request, report, failed=form)


@never_cache
@staff_required(*READERS)
@require_POST
def report_close_with_reason(request, reference: str):
    report = get_report_for_user(request.user, reference)
    form = CloseReportForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            report_close(
                report=report,
                reason=reason,
                message=form.cleaned_data["message"],
                acting_user=request.user,
            )
        except ReportAlreadyTriaged as refusal:
            form.add_error(None, refusal.message)
        else:
            label = ClosedReason(reason).label.lower()
            messages.success(request, f"Report {report.reference} closed: {label}")
            return redirect("staff_home")
    return _report_page(request, report, failed=form)


@never_cache
@staff_required(*READERS)
@require_POST
def report_message(request, reference: str):
    report = get_report_for_user(request.user, reference)
    form = MessageReporterForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, failed=form)
    report_message_reporter(report=report, body=form.cleaned_data["body"], acting_user=request.user)
    messages.success(request, "Your message is on the reporter's follow-up page")
    return redirect("staff_report", report.reference)
