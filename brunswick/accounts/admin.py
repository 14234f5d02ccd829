"""The Django admin site: accounts, roles and the school's settings, for the Admin role
only and only after both sign-in factors. Reports and cases are never registered here.
Staff accounts are registered by brunswick.access (every change to them is audited)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from .models import Role
from .views import staff_logout


def _signed_in_with_both_factors(user) -> bool:
    return user.is_authenticated and user.is_verified()


class StaffAdminSite(OTPAdminSite):
    """OTPAdminSite (active, is_staff, verified by the second factor) plus the Admin role.

    It has no sign-in form of its own: /admin/login/ (where Django sends visitors who may not
    enter) passes them on to /staff/login/, so the admin is no way round the lockout or the
    authenticator code.
    """

    site_header = "Concern portal admin"
    site_title = "Concern portal admin"
    index_title = "Accounts and school settings"
    site_url = "/staff/"

    def has_permission(self, request) -> bool:
        # The role is the authority; is_staff follows it (brunswick.accounts.signals).
        return super().has_permission(request) and request.user.has_role(Role.ADMIN)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            # Other staff get a plain "no" rather than a loop back to the sign-in page.
            if _signed_in_with_both_factors(request.user) and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return update_wrapper(inner, guarded)

    @login_not_required  # As on AdminSite.login, which this replaces.
    def login(self, request, extra_context=None):
        if self.has_permission(request):
            return redirect("admin:index")
        if _signed_in_with_both_factors(request.user):
            raise PermissionDenied
        index = reverse("admin:index", current_app=self.name)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)

    def logout(self, request, extra_context=None):
        return staff_logout(request)  # One way out, which clears the whole session.

    def password_change(self, request, extra_context=None):
        # One page for every member of staff to change their own password, audited there.
        return redirect("access:password")

    def get_urls(self):
        # Not the "view on site" shortcut (/admin/r/<type>/<id>/): it answers with a
        # redirect for any object that exists and 404 otherwise, so it told the Admin role
        # which cases, reports and people there are.
        return [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]


class ClosedChangelist:
    """A ModelAdmin's list filters only on its own list_filter, and counts nothing.

    Django lets a changelist's URL filter on any field of the model and on one step of a
    relation, and shows facet counts: `/admin/school/classgroup/?report=77` told the Admin
    role that report 77 exists and which group it is in, `?report__gte=78` how many
    reports there are. Every admin page of the project mixes this in
    (tests/accounts/test_admin_access.py walks them)."""

    show_facets = admin.ShowFacets.NEVER

    def lookup_allowed(self, lookup, value, request=None):
        allowed = {self.date_hierarchy} - {None}
        for item in self.list_filter:
            name = item[0] if isinstance(item, tuple | list) else item
            if isinstance(name, str):
                allowed.add(name)
        return lookup.split("__")[0] in allowed and super().lookup_allowed(lookup, value, request)


# The default site, so every app's @admin.register lands on it (django-otp's documented way
# to protect the default site; the registry is kept).
admin.site.__class__ = StaffAdminSite
