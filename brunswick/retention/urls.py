from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("cases/<int:case_id>/legal-hold/", views.case_hold, name="case_hold"),
    path(
        "cases/<int:case_id>/legal-hold/release/",
        views.case_hold_release,
        name="case_hold_release",
    ),
    path("people/<int:person_id>/legal-hold/", views.person_hold, name="person_hold"),
    path(
        "people/<int:person_id>/legal-hold/release/",
        views.person_hold_release,
        name="person_hold_release",
    ),
]
