"""A report's staff page and its triage actions (cases/triage_views.py). No namespace: the
names are those the page had when it lived in reports, included at staff/ beside the inbox
(brunswick/urls.py)."""

from django.urls import path

from . import triage_views

urlpatterns = [
    path("reports/<str:reference>/", triage_views.report_detail, name="staff_report"),
    path(
        "reports/<str:reference>/open-case/",
        triage_views.report_open_case,
        name="staff_report_open_case",
    ),
    path(
        "reports/<str:reference>/add-to-case/",
        triage_views.report_add_to_existing_case,
        name="staff_report_add_to_case",
    ),
    path(
        "reports/<str:reference>/close/",
        triage_views.report_close_with_reason,
        name="staff_report_close",
    ),
    path(
        "reports/<str:reference>/message/",
        triage_views.report_message,
        name="staff_report_message",
    ),
]
