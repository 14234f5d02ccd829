from django.urls import path

from . import audit_views, people_views, step_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/lead/", views.case_change_lead, name="change_lead"),
    path("cases/<int:case_id>/people/", views.case_add_person, name="add_person"),
    path("cases/<int:case_id>/decision/", views.case_decide, name="decide"),
    path("cases/<int:case_id>/close/", views.case_close, name="close"),
    path("cases/<int:case_id>/reopen/", views.case_reopen, name="reopen"),
    path("cases/<int:case_id>/audit/", audit_views.case_audit, name="audit"),
    path("cases/<int:case_id>/steps/new/", step_views.step_new, name="step_new"),
    path(
        "cases/<int:case_id>/steps/<int:step_id>/approval/",
        step_views.step_approve,
        name="step_approve",
    ),
    path(
        "cases/<int:case_id>/steps/<int:step_id>/outcome/",
        step_views.step_complete,
        name="step_complete",
    ),
    path(
        "cases/<int:case_id>/steps/<int:step_id>/withdraw/",
        step_views.step_withdraw,
        name="step_withdraw",
    ),
    path(
        "cases/<int:case_id>/steps/<int:step_id>/representations/",
        step_views.step_representations,
        name="step_representations",
    ),
    path("people/", people_views.people, name="people"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/<int:person_id>/", people_views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<int:person_id>/audit/", audit_views.person_audit, name="person_audit"),
]
