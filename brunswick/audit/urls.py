from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.portal_audit, name="portal"),
    path("cases/<int:case_id>/audit/", views.case_audit, name="case"),
    path("people/<int:person_id>/audit/", views.person_audit, name="person"),
]
