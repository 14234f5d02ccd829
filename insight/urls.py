from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("governors-report.pdf", views.governors_report_pdf, name="governors_pdf"),
    path("governors-report.csv", views.governors_report_csv, name="governors_csv"),
]
