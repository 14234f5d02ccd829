"""Retention periods in whole months: pure date arithmetic, no Django."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def purge_date(made_on: date, months: int) -> date:
    """The first day on which something dated `made_on` has been kept `months` months: the
    first day the purge's own test (dated on or before today minus the period) holds."""
    day = add_months(made_on, months)
    while add_months(day, -months) < made_on:  # Only just after a shorter month's end.
        day += timedelta(days=1)
    return day
