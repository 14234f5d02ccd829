"""The periods the dashboard and the governors' report cover: this term, last term, this
school year, or dates the Head Teacher chooses. Pure: terms in, a period out."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

MAX_YEARS = 5
# Up to this many days, reports are counted per week; longer periods per month.
WEEKLY_UP_TO_DAYS = 120
# With no term dates entered, "a term" is the last 13 weeks.
TERM_FALLBACK_DAYS = 91


class PeriodKind(models.TextChoices):
    THIS_TERM = "this_term", "This term"
    LAST_TERM = "last_term", "Last term"
    THIS_YEAR = "this_year", "This school year"
    CUSTOM = "custom", "Choose the dates"


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Period:
    label: str
    starts_on: date
    ends_on: date  # Included.

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def bucket(self) -> str:
        """How reports over time are counted: "week" or "month"."""
        return "week" if self.days <= WEEKLY_UP_TO_DAYS else "month"

    @property
    def dates(self) -> str:
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


class PeriodError(ValueError):
    """The dates do not make a period; `field` says which date to correct."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def custom_period(starts_on: date, ends_on: date) -> Period:
    if ends_on < starts_on:
        raise PeriodError("The end date must be the same as or after the start date", "ends_on")
    if ends_on > _years_after(starts_on, MAX_YEARS):
        raise PeriodError(f"Choose a period of {MAX_YEARS} years or less", "ends_on")
    return Period("Chosen dates", starts_on, ends_on)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February.
        return day.replace(year=day.year + years, day=28)


def school_year_start(today: date) -> date:
    """A school year runs from 1 August to 31 July."""
    return date(today.year if today.month >= 8 else today.year - 1, 8, 1)


def named_period(kind: str, terms: Sequence[Term], today: date) -> Period:
    """This term (the latest term that has started, to date), the term before it, or this
    school year to date."""
    if kind == PeriodKind.THIS_YEAR:
        starts_on = school_year_start(today)
        return Period(f"School year {starts_on.year} to {starts_on.year + 1}", starts_on, today)
    started = sorted((t for t in terms if t.starts_on <= today), key=lambda t: t.starts_on)
    index = len(started) - 1 if kind == PeriodKind.THIS_TERM else len(started) - 2
    if index < 0:
        return _fallback_term(kind, today)
    term = started[index]
    return Period(term.name, term.starts_on, min(term.ends_on, today))


def _fallback_term(kind: str, today: date) -> Period:
    span = timedelta(days=TERM_FALLBACK_DAYS)
    ends_on = today if kind == PeriodKind.THIS_TERM else today - span
    label = "The last 13 weeks" if kind == PeriodKind.THIS_TERM else "The 13 weeks before that"
    return Period(f"{label} (no term dates entered)", ends_on - span + timedelta(days=1), ends_on)
