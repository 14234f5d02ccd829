"""Staff accounts in the Django admin, for the Admin role.

Roles are tick boxes, not Django's groups and permissions: what someone may do comes from
their role alone, and each change goes through brunswick.access.services, which refuses a
change to one's own account, makes a role that can read reports wait for the Head
Teacher, and records every change in the audit log.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.db import transaction

from brunswick.accounts.admin import ClosedChangelist
from brunswick.accounts.models import Role, User
from brunswick.forms import govuk_messages

from . import services

READING = ", ".join(role.label for role in Role if role.reads_reports)
# Each field's messages in GOV.UK words. "invalid" and "unique" on the username are the
# model's own checks, worded here because the form's words replace the model's.
MESSAGES = {
    "username": (
        "Username",
        {
            "required": "Enter a username",
            "invalid": "Username must only include letters, numbers and @ . + - _",
            "unique": "A staff account with this username already exists",
        },
    ),
    "first_name": ("First name", {}),
    "last_name": ("Last name", {}),
    "email": ("Email address", {}),
    "roles": ("Roles", {"invalid_choice": "Select roles from the list"}),
    "is_active": ("Whether the account is active", {}),
}


class StaffUserChangeForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"{READING}: these can read reports, so they take effect only when the Head "
        "Teacher confirms them in the portal (Staff access). Other roles take effect at once.",
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (subject, messages) in MESSAGES.items():
            if name in self.fields:
                govuk_messages(self.fields[name], subject, **messages)
        self.acting_user = acting_user
        user = self.instance
        self.fields["roles"].initial = [*services.roles_of(user), *services.waiting_roles_of(user)]
        self.refusal = services.change_refusal(acting_user=acting_user, user=user)
        if self.refusal:  # Shown, not editable: and ignored if posted anyway.
            for name in ("roles", "is_active"):
                self.fields[name].disabled = True
                self.fields[name].help_text = self.refusal

    def chosen_roles(self) -> set[Role]:
        return {Role(value) for value in self.cleaned_data.get("roles", [])}

    def clean(self):
        cleaned = super().clean()
        if not self.refusal and self.instance.pk:
            refusal = services.last_head_teacher_refusal(
                user=self.instance,
                roles=set(cleaned.get("roles", [])),
                active=cleaned.get("is_active", True),
            )
            if refusal:
                self.add_error(None, refusal)
        return cleaned


@admin.register(User)
class StaffUserAdmin(ClosedChangelist, UserAdmin):
    form = StaffUserChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("roles", "waiting", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("waiting", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ()

    @admin.display(description="Waiting for the Head Teacher")
    def waiting(self, obj: User) -> str:
        names = [Role(role).label for role in services.waiting_roles_of(obj)] if obj.pk else []
        return ", ".join(names) or "Nothing"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form  # The add form: username and password only.

        class WithActingUser(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, acting_user=request.user, **inner)

        return WithActingUser

    def save_model(self, request, obj: User, form, change: bool) -> None:
        """One service call per kind of change, each audited with the change."""
        if not change:
            services.staff_account_create(user=obj, acting_user=request.user)
            return
        services.account_details_change(
            user=obj, changed=form.changed_data, acting_user=request.user
        )
        if form.refusal:
            return
        if "is_active" in form.changed_data:
            services.account_activity_change(
                user=obj, active=form.cleaned_data["is_active"], acting_user=request.user
            )
        changed = services.staff_roles_change(
            user=obj, roles=form.chosen_roles(), acting_user=request.user
        )
        if changed.waiting:
            names = ", ".join(Role(role).label for role in changed.waiting)
            self.message_user(
                request, f"{names}: waiting for the Head Teacher to confirm it in the portal."
            )

    def save_related(self, request, form, formsets, change):
        # Roles are not the groups field: staff_roles_change has set them.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        """Django's own page; the new password and its audit event in one transaction, and
        only when the password did change (a refused form also answers with a redirect)."""
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if user is not None and user.password != before:
                services.password_reset_record(user=user, acting_user=request.user)
        return response


# Roles are fixed in code (brunswick.accounts.roles): renaming a group or giving it
# permissions in the admin would change who may read reports behind the audit's back.
admin.site.unregister(Group)
