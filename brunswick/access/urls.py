from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("access/", views.staff_access, name="staff"),
    path("access/<int:grant_id>/", views.grant_decide, name="decide"),
    path("password/", views.StaffPasswordChangeView.as_view(), name="password"),
]
