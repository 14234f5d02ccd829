from django.urls import path

from . import approval_views, views

app_name = "letters"

urlpatterns = [
    path("approvals/", approval_views.approvals, name="approvals"),
    path("cases/<int:case_id>/letters/new/", views.letter_new, name="new"),
    path("letters/<int:letter_id>/", views.letter_detail, name="detail"),
    path("letters/<int:letter_id>/edit/", views.letter_edit, name="edit"),
    path("letters/<int:letter_id>/preview/", views.letter_preview, name="preview"),
    path(
        "letters/<int:letter_id>/send-for-approval/",
        views.letter_action,
        {"action": "send_for_approval"},
        name="send_for_approval",
    ),
    path(
        "letters/<int:letter_id>/approve/",
        views.letter_action,
        {"action": "approve"},
        name="approve",
    ),
    path("letters/<int:letter_id>/retry/", views.letter_action, {"action": "retry"}, name="retry"),
    path(
        "letters/<int:letter_id>/correct/",
        views.letter_action,
        {"action": "correct"},
        name="correct",
    ),
]
