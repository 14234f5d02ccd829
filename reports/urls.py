from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.start, name="start"),
    path("report/", views.report_new, name="new"),
    path("report/sent/", views.report_sent, name="sent"),
    path("report/another/", views.report_another, name="another"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/report/", views.follow_up_status, name="follow_up_status"),
    path("follow-up/sign-out/", views.follow_up_sign_out, name="follow_up_sign_out"),
]
