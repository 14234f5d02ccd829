"""The time limit for answering a subject access request (UK GDPR Article 12(3)), counted
as the ICO counts it. Pure: no Django."""

import calendar
from datetime import date, timedelta

# Reminders start this long before the deadline, and go on daily until it is answered.
REMIND_BEFORE = timedelta(days=7)


def one_calendar_month_after(received_on: date) -> date:
    """The corresponding calendar date next month, or that month's last day when it has no
    such date (31 January -> 28 or 29 February; 15 March -> 15 April).

    The ICO lets a deadline that falls on a weekend or bank holiday move to the next working
    day. We do not move it, so the date we show is never later than the legal one."""
    if received_on.month == 12:
        year, month = received_on.year + 1, 1
    else:
        year, month = received_on.year, received_on.month + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(received_on.day, last_day))


def reminders_start_on(due_on: date) -> date:
    return due_on - REMIND_BEFORE
