"""The Head Teacher's list of what waits for their approval: ladder steps and letters.
Here rather than in cases because it lists letters, and letters may read cases but not
the other way round (docs/architecture.md, "Apps")."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from cases.models import LadderStep

from .models import Letter


@never_cache
@staff_required(Role.HEAD_TEACHER)
def approvals(request):
    steps = (
        LadderStep.objects.filter(status=LadderStep.Status.AWAITING_APPROVAL)
        .select_related("case", "proposed_by", "person")
        .order_by("proposed_at")
    )
    letters = (
        Letter.objects.filter(status=Letter.Status.AWAITING_APPROVAL)
        .select_related("case", "drafted_by")
        .order_by("drafted_at")
    )
    return render(request, "letters/approvals.html", {"steps": steps, "letters": letters})
