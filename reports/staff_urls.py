from django.urls import path

from . import staff_views

urlpatterns = [
    path("", staff_views.staff_home, name="staff_home"),
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
