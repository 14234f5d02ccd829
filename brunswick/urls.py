from django.contrib import admin
from django.urls import include, path

from brunswick import health
from brunswick.accounts import views as accounts_views
from brunswick.retention.privacy import privacy_notice

urlpatterns = [
    path("", include("reports.urls")),
    path("privacy/", privacy_notice, name="privacy"),
    path("staff/login/", accounts_views.StaffLoginView.as_view(), name="login"),
    path("staff/logout/", accounts_views.staff_logout, name="logout"),
    path("staff/", include("reports.staff_urls")),
    path("staff/", include("cases.triage_urls")),
    path("staff/", include("cases.urls")),
    path("staff/", include("letters.urls")),
    path("staff/", include("brunswick.retention.urls")),
    path("staff/", include("brunswick.subject_access.urls")),
    path("staff/", include("brunswick.audit.urls")),
    path("staff/", include("brunswick.access.urls")),
    path("staff/insight/", include("insight.urls")),
    path("office/", include("letters.office_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

# Error pages show the request's reference (brunswick.errors).
handler400 = "brunswick.errors.bad_request"
handler403 = "brunswick.errors.permission_denied"
handler404 = "brunswick.errors.page_not_found"
handler500 = "brunswick.errors.server_error"
