"""A letter's PDF is made outside any transaction (letters.services.letter_render): on the
embedded SQLite default a transaction holds the database's one write lock, and a case page
(which writes an audit event) waited 20 s for a render and got "Sorry, the portal is busy".
The guarantees stay: one PDF however many workers, and a letter that changed while it was
being made is made again."""

import subprocess
import threading
import time

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_deliver
from letters.models import Letter
from letters.services import letter_render
from tests.conftest import sign_in
from tests.letters.helpers import warning_letter
from tests.letters.test_letter_worker import LONG

# On both databases: on SQLite a second writer waits for the first (transaction_mode
# IMMEDIATE); on PostgreSQL for the letter's row.
pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]

SLOW = "\n\n".join([LONG] * 3)  # Dozens of pages: a render of a few seconds.
EMBEDDED = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def waiting_for_its_pdf(slt, head_teacher, summary=SLOW) -> Letter:
    """A long letter approved and waiting for its PDF, with no job run yet (written here
    rather than through letter_approve, whose job would make the PDF on commit)."""
    letter, _ = warning_letter(slt, summary=summary)
    Letter.objects.filter(id=letter.id).update(
        status=Letter.Status.RENDERING,
        approved_by=head_teacher,
        approved_at=timezone.now(),
        letter_date=timezone.localdate(),
    )
    return Letter.objects.get(id=letter.id)


def in_a_thread(work, *args) -> threading.Thread:
    def run():
        try:
            work(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def a_second_writer(client, letter) -> float:
    """Seconds it takes another member of staff to open the case page (an audit event is
    written) and then to lock the letter's row, as any change to the letter would."""
    started = time.monotonic()
    assert client.get(f"/staff/cases/{letter.case_id}/").status_code == 200
    try:
        with transaction.atomic():  # On SQLite, this alone needs the write lock.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
            list(Letter.objects.select_for_update().filter(id=letter.id))
    except DatabaseError:  # Waited 5 s for the row and gave up.
        return float("inf")
    return time.monotonic() - started


def waits_while(thread: threading.Thread, client, letter) -> list[float]:
    waits = []
    while thread.is_alive():
        waits.append(a_second_writer(client, letter))
        time.sleep(0.05)
    thread.join()
    return waits


def test_a_second_writer_is_not_kept_waiting_while_a_letter_s_pdf_is_made(slt, head_teacher):
    letter = waiting_for_its_pdf(slt, head_teacher)
    client = sign_in(Client(), slt)
    client.get(f"/staff/cases/{letter.case_id}/")  # Warm up: the first request checks the device.

    waits = waits_while(in_a_thread(letter_render, letter.id), client, letter)

    assert len(waits) >= 3  # The writes really happened while the PDF was being made.
    assert max(waits) < 1.0, waits
    assert Letter.objects.get(id=letter.id).status == Letter.Status.READY


def test_nor_while_the_outbox_job_makes_it(slt, head_teacher):
    letter = waiting_for_its_pdf(slt, head_teacher)
    job = OutboxMessage.objects.create(kind=OutboxMessage.Kind.RENDER_LETTER, object_id=letter.id)
    client = sign_in(Client(), slt)
    client.get(f"/staff/cases/{letter.case_id}/")

    waits = waits_while(in_a_thread(outbox_deliver, job.id), client, letter)

    assert len(waits) >= 3
    assert max(waits) < 1.0, waits
    assert Letter.objects.get(id=letter.id).status == Letter.Status.READY


def test_two_workers_making_the_same_pdf_at_once_keep_one(slt, head_teacher, private_media):
    letter = waiting_for_its_pdf(slt, head_teacher, summary=LONG)

    workers = [in_a_thread(letter_render, letter.id) for _ in range(2)]
    for worker in workers:
        worker.join()

    letter.refresh_from_db()
    assert (letter.status, letter.render_attempts) == (Letter.Status.READY, 1)
    assert [p.name for p in (private_media / "letters").iterdir()] == [
        letter.pdf.name.rpartition("/")[2]
    ]
    rendered = AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_RENDERED)
    assert rendered.count() == 1


def pdf_text(letter) -> str:
    path = default_storage.path(letter.pdf.name)
    result = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def test_a_letter_changed_while_its_pdf_is_made_is_made_again_as_it_is_now(
    slt, head_teacher, private_media
):
    letter = waiting_for_its_pdf(slt, head_teacher)
    worker = in_a_thread(letter_render, letter.id)
    time.sleep(0.5)  # The worker has read the letter and is making its PDF.
    Letter.objects.filter(id=letter.id).update(addressee_name="Name Erased")  # As an erasure.
    worker.join()

    letter.refresh_from_db()
    assert (letter.status, letter.render_attempts) == (Letter.Status.READY, 2)
    text = pdf_text(letter)
    assert "Name Erased" in text and "Jordan Smith" not in text
    retried = AuditEvent.objects.get(action=AuditEvent.Action.LETTER_RENDER_RETRIED)
    assert retried.extra["error"] == "LetterChanged"
