"""Outbox handlers: making a letter's PDF, and e-mailing it."""

from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import register_handler
from brunswick.school.models import SchoolSettings

from .models import Letter
from .services import letter_render


@register_handler(OutboxMessage.Kind.RENDER_LETTER)
def render_letter(letter_id: int) -> None:
    # letter_render opens no transaction around the render, and is safe to run twice; but
    # outbox_deliver still runs every handler inside its own transaction, which on SQLite
    # holds the write lock for the whole render. It should run this one outside it
    # (tests/letters/test_letter_render_unlocked.py, test_nor_while_the_outbox_job_makes_it).
    letter_render(letter_id)


@register_handler(OutboxMessage.Kind.EMAIL_LETTER)
def email_letter(letter_id: int) -> None:
    """Send the stored PDF as it is (never re-rendered); record it as e-mailed."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(id=letter_id).first()
        if letter is None or letter.status != Letter.Status.READY:
            return
        school = SchoolSettings.current()
        message = EmailMessage(
            subject=f"A letter from {school.name}",
            body=(
                f"Dear {letter.addressee_name},\n\n"
                f"Please find attached a letter from {school.name}.\n\n{school.name}"
            ),
            to=[letter.addressee_email],
        )
        with default_storage.open(letter.pdf.name, "rb") as pdf:
            message.attach(f"{letter.code}.pdf", pdf.read(), "application/pdf")
        message.send()
        letter.status, letter.emailed_at = Letter.Status.EMAILED, timezone.now()
        letter.save(update_fields=["status", "emailed_at"])
        audit_record(action=AuditEvent.Action.LETTER_EMAILED, obj=letter, actor_kind="system")
