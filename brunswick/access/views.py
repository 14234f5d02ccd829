"""The Head Teacher's page of staff access: roles that wait for confirmation, and who has
which role now. Roles are given and removed in the admin; reading roles take effect here."""

from crispy_forms_gds.helper import FormHelper
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role, User
from brunswick.forms import govuk_messages

from .models import RoleGrant
from .services import AccessRefused, confirm_refusal, password_change_record, role_grant_decide


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


class StaffPasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["old_password"].label = "Your current password"
        self.fields["new_password1"].help_text = "At least 12 characters, not a common password."
        # Messages, not passwords.
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right",
            "password_mismatch": "The two new passwords are not the same",
        }
        required = {
            "old_password": "Enter your current password",
            "new_password1": "Enter a new password",
            "new_password2": "Enter the new password again",
        }
        subjects = {
            "old_password": "Your current password",
            "new_password1": "The new password",
            "new_password2": "The new password",
        }
        for name, message in required.items():
            govuk_messages(self.fields[name], subjects[name], required=message)


@method_decorator(never_cache, name="dispatch")
@method_decorator(staff_required(), name="dispatch")
class StaffPasswordChangeView(PasswordChangeView):
    """Every member of staff changes their own password here (the admin's own page comes
    here too): the new password and its audit event in one transaction."""

    template_name = "access/password_change.html"
    form_class = StaffPasswordForm
    success_url = reverse_lazy("staff_home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_change_record(user=form.user)
        messages.success(self.request, "Your password has been changed.")
        return response
