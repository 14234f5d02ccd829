from django.urls import path

from . import views

app_name = "subject_access"

urlpatterns = [
    path("people/<int:person_id>/subject-access/new/", views.request_new, name="request_new"),
    path("people/<int:person_id>/erase/", views.erase, name="erase"),
    path("subject-access/<int:request_id>/pack/", views.pack_download, name="pack"),
    path("subject-access/<int:request_id>/complete/", views.request_complete, name="complete"),
]
