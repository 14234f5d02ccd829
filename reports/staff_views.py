"""Staff pages about reports."""

from django.core.paginator import Paginator
from django.shortcuts import render

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role

from .models import Report

READERS = (Role.SLT, Role.HEAD_TEACHER)


@staff_required()
def staff_home(request):
    """SLT and the Head Teacher see the newest reports; other roles see what they can do."""
    user = request.user
    can_read_reports = any(user.has_role(role) for role in READERS)
    page = None
    if can_read_reports:
        reports = Report.objects.newest_first().select_related("group")
        page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(
        request, "reports/staff_home.html", {"page": page, "can_read_reports": can_read_reports}
    )
