"""The dashboard's figures as tables: what each chart draws, what its data table shows,
and what the governors' report and the CSV export carry (after suppression).

Every number is a Cell that knows how many reports, cases or people stand behind it, so
the governors' report can hide small counts without knowing what the table is about.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from statistics import median

from django.utils import timezone

from brunswick.school.calendar import SchoolCalendar
from cases.ladder import RUNGS
from cases.models import Decision, LadderStep
from reports.models import Category

from . import selectors
from .periods import Period

# Short names for charts and table headings; the policy's full words are in the key.
CATEGORY_SHORT = {
    Category.GRIEVANCES: "Airing grievances",
    Category.POLITICAL: "Political opinions",
    Category.PRIVATE_CONVERSATIONS: "Private conversations",
    Category.RESPECT: "Lack of respect",
    Category.ABUSIVE_COMMENTS: "Abusive or personal comments",
    Category.ANGER: "Anger or swearing",
    Category.DISREPUTE: "Disrepute",
    Category.DEFAMATORY: "Aggressive or defamatory",
    Category.ABUSIVE_EMAILS: "Abusive e-mails",
    Category.CHALLENGING_POLICIES: "Challenging policies",
    Category.THREATENING: "Threatening behaviour",
}
STEP_SHORT = {
    LadderStep.Kind.INFORMATION_GATHERING: "1. Gathering information",
    LadderStep.Kind.MEETING: "2. Meeting",
    LadderStep.Kind.WARNING_LETTER: "3. Warning letter",
    LadderStep.Kind.AUTHORITIES: "4. Authorities",
    LadderStep.Kind.LEGAL_ADVICE: "5. Legal advice",
    LadderStep.Kind.SITE_BAN: "6. Site ban",
}
NO_STEP = "No step yet"
MOST_PEOPLE_LISTED = 20
OTHER_GROUP_LABEL = "Other or not listed"


@dataclass(frozen=True)
class Cell:
    """One figure. `count` is how many reports, cases or people it stands for (what the
    governors' report suppresses on); `value` is what a chart draws."""

    text: str
    value: float | None
    counts: tuple[int, ...] = ()
    suppressed_text: str = "fewer than 5"


def number(n: int) -> Cell:
    return Cell(str(n), n, (n,))


def share(n: int, total: int) -> Cell:
    """A share of a total: it gives away the total too, so both count."""
    percent = round(100 * n / total) if total else 0
    return Cell(f"{percent}% ({n} of {total})", percent, (n, total))


def days(values: list[int], what: str) -> Cell:
    if not values:
        return Cell(f"no {what}", None)
    middle = median(values)
    text = f"{middle:g} school day{'' if middle == 1 else 's'}"
    return Cell(text, middle, (len(values),), suppressed_text=f"not shown: fewer than 5 {what}")


def target_days(school_days: int) -> Cell:
    return Cell(f"{school_days} school days", school_days)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    detail: str = ""  # The policy's full words, where the label is short.
    short: str = ""  # A shorter label for a chart's axis.
    person_id: int | None = None  # The people table: whose row it is.
    is_total: bool = False  # In the table, not drawn.


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    summary: str  # What it shows, with no figures in it: the chart's description.
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    facts: tuple[tuple[str, Cell], ...] = ()  # Figures beside the table, not charted.
    empty_text: str = "No reports in this period."
    chart: str = "horizontal"  # "horizontal", "stacked" or "" (a table only).
    notes: tuple[str, ...] = field(default=())
    notes_heading: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(cell.value for row in self.rows for cell in row.cells)

    @property
    def chart_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if not row.is_total)

    def first_column_only(self) -> "Table":
        rows = (replace(row, cells=row.cells[:1]) for row in self.rows)
        return replace(self, columns=self.columns[:1], notes=(), notes_heading="").with_rows(rows)

    def with_rows(self, rows, facts=None) -> "Table":
        return replace(self, rows=tuple(rows), facts=tuple(self.facts if facts is None else facts))


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _buckets(period: Period) -> list[date]:
    """Every week (from its Monday) or month in the period, so empty ones show as 0."""
    if period.bucket == "week":
        first = period.starts_on - timedelta(days=period.starts_on.weekday())
        count = (period.ends_on - first).days // 7 + 1
        return [first + timedelta(weeks=n) for n in range(count)]
    months, month = [], period.starts_on.replace(day=1)
    while month <= period.ends_on:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _bucket_day(bucket: date | datetime) -> date:
    # TruncWeek/TruncMonth give aware datetimes at local midnight.
    return _local_date(bucket) if isinstance(bucket, datetime) else bucket


def _bucket_label(day: date, bucket: str) -> str:
    return f"Week of {day:%-d %b %Y}" if bucket == "week" else f"{day:%B %Y}"


def reports_received(period: Period, group) -> Table:
    rows = selectors.reports_received_by_category(period, group)
    by_bucket = {_bucket_day(row["bucket"]): row for row in rows}
    named = [c for c in Category if any(row[f"c_{c.value}"] for row in rows)]
    table_rows = []
    for day in _buckets(period):
        row = by_bucket.get(day, {})
        cells = [number(row.get("reports", 0))]
        cells += [number(row.get(f"c_{c.value}", 0)) for c in named]
        short = f"{day:%-d %b}" if period.bucket == "week" else f"{day:%b %Y}"
        table_rows.append(Row(_bucket_label(day, period.bucket), tuple(cells), short=short))
    total = sum(row["reports"] for row in rows)
    totals = [number(total)] + [number(sum(row[f"c_{c.value}"] for row in rows)) for c in named]
    table_rows.append(Row("Total", tuple(totals), is_total=True))
    return Table(
        key="reports_received",
        title=f"Reports received each {period.bucket}, by what happened",
        summary=f"Reports received each {period.bucket} from {period.dates}, and what they "
        "said happened. A report can name more than one thing.",
        row_heading=period.bucket.capitalize(),
        columns=("Reports", *(CATEGORY_SHORT[c] for c in named)),
        rows=tuple(table_rows),
        facts=(("Reports received", number(total)),),
        chart="stacked",
        notes=tuple(f"{CATEGORY_SHORT[c]}: {c.label}" for c in named),
        notes_heading="What the headings mean, in the code of conduct's words:",
    )


def reports_by_category(received: Table) -> Table:
    """What the reports said happened, over the whole period: the totals row of
    `received`, so no second query."""
    totals = next(row for row in received.rows if row.is_total)
    named = [c for c in Category if CATEGORY_SHORT[c] in received.columns[1:]]
    rows = sorted(
        (
            Row(CATEGORY_SHORT[c], (cell,), detail=c.label)
            for c, cell in zip(named, totals.cells[1:], strict=True)
        ),
        key=lambda row: -row.cells[0].value,
    )
    return Table(
        key="categories",
        title="What the reports said happened",
        summary="How many reports received in the period named each part of the code of "
        "conduct. A report can name more than one.",
        row_heading="What happened",
        columns=("Reports",),
        rows=tuple(rows),
    )


def open_cases_by_step(group) -> Table:
    counts = selectors.cases_open_by_ladder_step(group)
    rows = [Row(NO_STEP, (number(counts.get(None, 0)),))]
    rows += [
        Row(STEP_SHORT[kind], (number(counts.get(kind, 0)),), LadderStep.Kind(kind).label)
        for kind in RUNGS
    ]
    return Table(
        key="open_cases",
        title="Open cases, by the step on the ladder they have reached",
        summary="Cases open today, by the latest response proposed on the ladder (not counting "
        "steps withdrawn or not approved).",
        row_heading="Step",
        columns=("Open cases",),
        rows=tuple(rows),
        facts=(("Cases open today", number(sum(counts.values()))),),
        empty_text="No cases are open.",
    )


def _counter(calendar: SchoolCalendar, pairs, today: date):
    first = min((start for start, _, _ in pairs), default=today)
    return calendar.counter(first, max([today, *(end for _, end, _ in pairs if end)]))


@dataclass
class AgainstTarget:
    """Counts of things that started and (perhaps) ended, against a target in school days."""

    within: int = 0
    late: int = 0
    waiting: int = 0
    waiting_late: int = 0
    taken: list[int] = field(default_factory=list)


def _against_target(pairs, *, calendar: SchoolCalendar, target: int, today: date):
    """From (started_on, ended_on or None, count) rows: what ended within or after the
    target, and what has not ended yet, within it or past it (counted to today)."""
    tally = AgainstTarget()
    school_days = _counter(calendar, pairs, today)
    for started_on, ended_on, n in pairs:
        elapsed = school_days.between(started_on, ended_on or today)
        if ended_on:
            tally.taken += [elapsed] * n
            if elapsed <= target:
                tally.within += n
            else:
                tally.late += n
        elif elapsed > target:
            tally.waiting_late += n
        else:
            tally.waiting += n
    return tally


def time_to_acknowledge(
    period: Period, group, *, calendar: SchoolCalendar, target: int, today: date
) -> Table:
    pairs = selectors.reports_acknowledged(period, group)
    tally = _against_target(pairs, calendar=calendar, target=target, today=today)
    rows = [
        Row(f"Within {target} school days", (number(tally.within),)),
        Row(f"Later than {target} school days", (number(tally.late),)),
        Row("Not yet, and past the target", (number(tally.waiting_late),)),
        Row("Not yet, still within the target", (number(tally.waiting),)),
    ]
    return Table(
        key="acknowledged",
        title="Time to acknowledge a report, against the target",
        summary=f"How many reports received in the period were acknowledged (opened into a "
        f"case or closed with a reason) within the school's target of {target} school days.",
        row_heading="Acknowledged",
        columns=("Reports",),
        rows=tuple(rows),
        facts=(
            ("Target", target_days(target)),
            ("Median time to acknowledge", days(tally.taken, "reports acknowledged")),
        ),
    )


def time_to_close(
    period: Period, group, *, calendar: SchoolCalendar, target: int, today: date
) -> Table:
    pairs = selectors.cases_closed_or_open(period, group)
    tally = _against_target(pairs, calendar=calendar, target=target, today=today)
    rows = [
        Row(f"Closed within {target} school days", (number(tally.within),)),
        Row(f"Closed later than {target} school days", (number(tally.late),)),
        Row("Open today, past the target", (number(tally.waiting_late),)),
    ]
    return Table(
        key="closed",
        title="Time to close a case, against the target",
        summary=f"Cases closed in the period, within or later than the school's target of "
        f"{target} school days from opening, and cases open today that are past it.",
        row_heading="Cases",
        columns=("Cases",),
        rows=tuple(rows),
        facts=(
            ("Target", target_days(target)),
            ("Median time to close", days(tally.taken, "cases closed")),
        ),
        empty_text="No cases closed in this period, and none open past the target.",
    )


def outcomes(period: Period, group) -> Table:
    counts = selectors.cases_closed_by_outcome(period, group)
    total = sum(counts.values())
    rows = [
        Row(outcome.label, (share(counts.get(outcome.value, 0), total),))
        for outcome in Decision.Outcome
    ]
    return Table(
        key="outcomes",
        title="How cases closed: the Head Teacher's final decision",
        summary="The share of the cases closed in the period that closed at each outcome.",
        row_heading="Outcome",
        columns=("Share of cases closed",),
        rows=tuple(rows),
        facts=(("Cases closed", number(total)),),
        empty_text="No cases closed in this period.",
    )


def groups(period: Period, group) -> Table:
    rows = [
        Row(name or OTHER_GROUP_LABEL, (number(n),))
        for name, n in selectors.groups_with_most_reports(period, group)
    ]
    return Table(
        key="groups",
        title="Groups with the most reports",
        summary=f"The {selectors.TOP_GROUPS} class or year WhatsApp groups named in most "
        "reports received in the period.",
        row_heading="Group",
        columns=("Reports",),
        rows=tuple(rows),
    )


def repeated_people(today: date, group) -> Table:
    people = selectors.people_in_more_than_one_case(today, group)
    rows = [
        Row(f"Person {n}", (number(person["cases_count"]),), person_id=person["id"])
        for n, person in enumerate(people[:MOST_PEOPLE_LISTED], start=1)
    ]
    notes = (
        ()
        if len(people) <= MOST_PEOPLE_LISTED
        else (f"The {MOST_PEOPLE_LISTED} with most cases are listed, of {len(people)}.",)
    )
    return Table(
        key="repeated_people",
        title="People with more than one case in the last 12 months",
        summary="People linked to more than one case opened in the 12 months to today. "
        "Their names are shown to the Head Teacher only.",
        row_heading="Person",
        columns=("Cases",),
        rows=tuple(rows),
        facts=(("People with more than one case", number(len(people))),),
        chart="",
        notes=notes,
        empty_text="Nobody has more than one case in the last 12 months.",
    )


def with_names(table: Table) -> Table:
    """The people table with each person's name, for the Head Teacher (one query)."""
    ids = [row.person_id for row in table.rows if row.person_id]
    if not ids:
        return table
    names = selectors.names_of_people(ids)
    rows = (replace(row, label=names.get(row.person_id, row.label)) for row in table.rows)
    return replace(table, summary=table.summary.split(" Their names")[0]).with_rows(rows)


def insight_tables(
    period: Period, group, *, today: date, calendar: SchoolCalendar, school
) -> list[Table]:
    """Every table on the dashboard, in the order it shows them: one query each."""
    received = reports_received(period, group)
    return [
        received,
        reports_by_category(received),
        open_cases_by_step(group),
        time_to_acknowledge(
            period,
            group,
            calendar=calendar,
            target=school.acknowledgement_target_school_days,
            today=today,
        ),
        time_to_close(
            period,
            group,
            calendar=calendar,
            target=school.case_close_target_school_days,
            today=today,
        ),
        outcomes(period, group),
        groups(period, group),
        repeated_people(today, group),
    ]
