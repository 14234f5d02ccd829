"""The Head Teacher's and SLT's dashboard, and the governors' report (PDF and CSV).

Each view parses the period and group, reads the figures (one query per chart, in
insight.selectors), records that they were looked at or exported, and renders."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.calendar import SchoolCalendar
from brunswick.school.models import ClosureDay, SchoolSettings, TermDate

from .figures import OTHER_GROUP_LABEL, Table, with_names
from .forms import OTHER_GROUP, InsightFilterForm, group_choices
from .governors import governors_csv, governors_pdf
from .periods import Period, PeriodKind, Term
from .snapshots import snapshot

ROLES = (Role.SLT, Role.HEAD_TEACHER)


@dataclass
class Insight:
    form: InsightFilterForm
    period: Period | None = None
    group: int | str | None = None
    group_label: str = "All groups"
    tables: list[Table] | None = None
    charts: dict[str, str] | None = None
    school: SchoolSettings | None = None


def _insight(request) -> Insight:
    """The form over the GET parameters and, if they make sense, the figures."""
    today = timezone.localdate()
    terms = [Term(*row) for row in TermDate.objects.values_list("name", "starts_on", "ends_on")]
    groups = group_choices()
    form = InsightFilterForm(
        request.GET or {"period": PeriodKind.THIS_TERM}, groups=groups, terms=terms, today=today
    )
    if not form.is_valid():
        return Insight(form)
    group = form.chosen_group()
    labels = {**dict(groups), OTHER_GROUP: OTHER_GROUP_LABEL}
    calendar = SchoolCalendar(
        terms=tuple((t.starts_on, t.ends_on) for t in terms),
        closures=frozenset(ClosureDay.objects.values_list("date", flat=True)),
    )
    school = SchoolSettings.current()
    period = form.chosen_period()
    kept = snapshot(period, group, today=today, calendar=calendar, school=school)
    tables = kept.tables
    if request.user.is_head_teacher():
        tables = [with_names(t) if t.key == "repeated_people" else t for t in tables]
    label = labels.get(group, "All groups")
    return Insight(form, period, group, label, tables, kept.charts, school)


def _record(request, insight: Insight, what: str, action=AuditEvent.Action.EXPORTED) -> None:
    """A look at the dashboard, or a download of the governors' report, with its period."""
    audit_record(
        action=action,
        actor=request.user,
        export=what,
        starts_on=insight.period.starts_on.isoformat(),
        ends_on=insight.period.ends_on.isoformat(),
        group=insight.group,
    )


def _svg(svg: str):
    # Reviewed: pygal escapes every label and value it writes into the SVG.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def _dashboard(request, insight: Insight, status: int = 200):
    charts = insight.charts or {}
    context = {
        "insight": insight,
        # Drawn by pygal, which escapes every label and value it writes (insight.charts).
        "sections": [(t, _svg(charts[t.key])) for t in insight.tables or []],
        "query": request.GET.urlencode(),
    }
    if insight.school:
        context["school"] = insight.school  # Read already: the page need not ask again.
    return render(request, "insight/dashboard.html", context, status=status)


@never_cache
@staff_required(*ROLES)
def dashboard(request):
    insight = _insight(request)
    if insight.tables is None:
        return _dashboard(request, insight)
    _record(request, insight, "insight_dashboard", AuditEvent.Action.INSIGHT_VIEWED)
    return _dashboard(request, insight)


def _filename(insight: Insight, extension: str) -> str:
    period = insight.period
    return f"governors-report-{period.starts_on:%Y-%m-%d}-to-{period.ends_on:%Y-%m-%d}.{extension}"


@never_cache
@staff_required(*ROLES)
def governors_report_pdf(request):
    insight = _insight(request)
    if insight.tables is None:
        return _dashboard(request, insight, status=400)
    pdf = governors_pdf(insight.tables, insight.period, insight.group_label, insight.school)
    _record(request, insight, "governors_report_pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(insight, "pdf")}"'
    return response


@never_cache
@staff_required(*ROLES)
def governors_report_csv(request):
    insight = _insight(request)
    if insight.tables is None:
        return _dashboard(request, insight, status=400)
    text = governors_csv(insight.tables, insight.period, insight.group_label)
    _record(request, insight, "governors_report_csv")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(insight, "csv")}"'
    return response
