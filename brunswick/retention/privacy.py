"""The privacy notice (UK GDPR articles 13 and 14), for parents and staff alike.

Its periods are read from the retention schedule in force and the settings, so the
notice stays true when the school changes them; the school's own parts (Data Protection
Officer, ICO registration, anything more) are school settings the admin edits.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from .models import RetentionSchedule


def _period(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


@login_not_required
def privacy_notice(request):
    schedule = RetentionSchedule.in_force(timezone.now())
    context = {
        "closed_case_period": _period(schedule.closed_case_months),
        "closed_report_period": _period(schedule.closed_report_months),
        "unlinked_person_period": _period(schedule.unlinked_person_months),
        "staging_hours": settings.SCREENSHOT_STAGING_HOURS,
    }
    return render(request, "privacy_notice.html", context)
