from django.urls import path

from . import staff_views

urlpatterns = [
    path("", staff_views.staff_home, name="staff_home"),
    path("reports/<str:reference>/", staff_views.report_detail, name="staff_report"),
    path(
        "reports/<str:reference>/open-case/",
        staff_views.report_open_case,
        name="staff_report_open_case",
    ),
    path(
        "reports/<str:reference>/add-to-case/",
        staff_views.report_add_to_existing_case,
        name="staff_report_add_to_case",
    ),
    path(
        "reports/<str:reference>/close/",
        staff_views.report_close_with_reason,
        name="staff_report_close",
    ),
    path(
        "reports/<str:reference>/message/",
        staff_views.report_message,
        name="staff_report_message",
    ),
    path(
        "screenshots/<int:screenshot_id>/",
        staff_views.screenshot_file,
        {"thumbnail": False},
        name="staff_screenshot",
    ),
    path(
        "screenshots/<int:screenshot_id>/thumbnail/",
        staff_views.screenshot_file,
        {"thumbnail": True},
        name="staff_screenshot_thumbnail",
    ),
]
