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


@register_handler(OutboxMessage.Kind.RENDER_LETTER, own_transactions=True)
def render_letter(letter_id: int) -> None:
    # letter_render opens no transaction around the render and is safe to run twice, so the
    # outbox runs it outside its own: on SQLite a transaction held for the whole render
    # would keep every other writer waiting (tests/letters/test_letter_render_unlocked.py).
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
