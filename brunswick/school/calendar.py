"""School days: the clock for the school's targets, such as acknowledging a report.

A school day is a weekday inside a term that is not a closure day (an INSET day, a bank
holiday). The counting is pure (dates in, a number out); `school_calendar()` loads the
terms and closures once, so a page can time many reports with two queries.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .models import ClosureDay, TermDate

Span = tuple[date, date]  # First and last day, both included.


def school_days_between(
    start: date, end: date, *, terms: Iterable[Span], closures: Collection[date]
) -> int:
    """School days after `start`, up to and including `end` (0 if `end` is not later).

    With no terms at all, every weekday counts (less closures), so a new install that
    has not entered its term dates still gets a sensible clock.
    """
    first = start + timedelta(days=1)
    if end < first:
        return 0
    spans = _merged(terms) or [(first, end)]
    open_days = sum(_weekdays(max(s, first), min(e, end)) for s, e in spans)
    closed_days = sum(
        1
        for day in set(closures)
        if first <= day <= end and _is_weekday(day) and any(s <= day <= e for s, e in spans)
    )
    return open_days - closed_days


def _merged(terms: Iterable[Span]) -> list[Span]:
    # Overlapping terms (a typing slip in the admin) must not count a day twice.
    merged: list[Span] = []
    for starts_on, ends_on in sorted(terms):
        if merged and starts_on <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends_on))
        else:
            merged.append((starts_on, ends_on))
    return merged


def _weekdays(first: date, last: date) -> int:
    """Monday to Friday from `first` to `last`, both included."""
    if last < first:
        return 0
    days = (last - first).days + 1
    whole_weeks, rest = divmod(days, 7)
    return whole_weeks * 5 + sum(1 for n in range(rest) if _is_weekday(first + timedelta(days=n)))


def _is_weekday(day: date) -> bool:
    return day.weekday() < 5


@dataclass(frozen=True)
class SchoolCalendar:
    terms: tuple[Span, ...]
    closures: frozenset[date]

    def school_days_since(self, since: date, today: date) -> int:
        return school_days_between(since, today, terms=self.terms, closures=self.closures)

    def counter(self, first: date, last: date) -> "SchoolDayCounter":
        """For many questions about dates from `first` to `last`: one pass, then O(1)."""
        return SchoolDayCounter(self, first, last)


class SchoolDayCounter:
    """`school_days_between` answered from a running count of school days, so a page can
    time thousands of reports cheaply. Dates outside first..last fall back to the sum."""

    def __init__(self, calendar: SchoolCalendar, first: date, last: date):
        self.calendar, self.first = calendar, first
        spans = _merged(calendar.terms)
        running, self.running = 0, []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            in_term = not spans or any(s <= day <= e for s, e in spans)
            if _is_weekday(day) and in_term and day not in calendar.closures:
                running += 1
            self.running.append(running)

    def between(self, start: date, end: date) -> int:
        """School days after `start`, up to and including `end`."""
        if end <= start:
            return 0
        i, j = (start - self.first).days, (end - self.first).days
        if i < 0 or j >= len(self.running):
            return self.calendar.school_days_since(start, end)
        return self.running[j] - self.running[i]


def school_calendar() -> SchoolCalendar:
    """The school's terms and closure days, in two queries."""
    terms = tuple(TermDate.objects.values_list("starts_on", "ends_on"))
    closures = frozenset(ClosureDay.objects.values_list("date", flat=True))
    return SchoolCalendar(terms=terms, closures=closures)
