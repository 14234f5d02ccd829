from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.portal_audit, name="portal"),
]
