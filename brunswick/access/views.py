"""The Head Teacher's page of staff access: roles that wait for confirmation, and who has
which role now. Roles are given and removed in the admin; reading roles take effect here."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role, User

from .models import RoleGrant
from .services import AccessRefused, confirm_refusal, role_grant_decide


@never_cache
@staff_required(Role.HEAD_TEACHER)
def staff_access(request):
    waiting = list(
        RoleGrant.objects.waiting()
        .select_related("user", "requested_by")
        .order_by("requested_at", "id")
    )
    rows = [(grant, confirm_refusal(grant, request.user)) for grant in waiting]
    staff = User.objects.prefetch_related("groups").order_by("-is_active", "username")
    return render(request, "access/staff_access.html", {"rows": rows, "staff": staff})


@staff_required(Role.HEAD_TEACHER)
@require_POST
def grant_decide(request, grant_id: int):
    grant = RoleGrant.objects.filter(id=grant_id).first()
    decision = request.POST.get("decision")
    if grant is None or decision not in ("confirm", "refuse"):
        raise Http404
    try:
        role_grant_decide(grant=grant, confirm=decision == "confirm", acting_user=request.user)
    except AccessRefused as refused:
        messages.error(request, refused.message)
        return redirect("access:staff")
    done = "confirmed: it takes effect now" if decision == "confirm" else "refused"
    messages.success(request, f"{grant.get_role_display()} for {grant.user}: {done}.")
    return redirect("access:staff")
