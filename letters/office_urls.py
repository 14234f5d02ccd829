"""The office's pages, under /office/: the print queue and what it does to a letter."""

from django.urls import path

from . import office_views

app_name = "office"

urlpatterns = [
    path("letters/", office_views.queue, name="queue"),
    path("letters/print/", office_views.bulk_print, name="bulk_print"),
    path("letters/<int:letter_id>/pdf/", office_views.letter_pdf, name="pdf"),
    path("letters/<int:letter_id>/printed/", office_views.mark_printed, name="printed"),
    path("letters/<int:letter_id>/posted/", office_views.mark_posted, name="posted"),
    path("letters/<int:letter_id>/email/", office_views.email, name="email"),
]
