"""Timings outside HTTP: letters (in this process, and a batch in the Celery worker), the
audit chain check, and the nightly purge. The purge runs last: it removes data."""

import statistics
import time

from django.db import transaction
from django.utils import timezone

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue
from letters.content import letter_context
from letters.models import Letter
from letters.rendering import html_to_pdf, letter_html


def one_letter_ms(samples: int = 20, warm_up: int = 2) -> dict:
    """Median time to make one letter's PDF from its row, as the worker does."""
    letter = Letter.objects.filter(status=Letter.Status.POSTED).order_by("id").first()
    times = []
    for n in range(warm_up + samples):
        started = time.perf_counter()
        html_to_pdf(letter_html(letter_context(letter, letter.letter_date)))
        if n >= warm_up:
            times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "samples": samples}


def letter_batch_s(count: int = 100, timeout: float = 300) -> dict:
    """Approve `count` letters at once, as the office's week might; time until the worker
    has made every PDF (outbox job to READY)."""
    source = Letter.objects.filter(status=Letter.Status.POSTED).order_by("id").first()
    with transaction.atomic():
        letters = Letter.objects.bulk_create([_copy_for_render(source) for _ in range(count)])
        for letter in letters:
            outbox_enqueue(kind=OutboxMessage.Kind.RENDER_LETTER, object_id=letter.id)
    started = time.perf_counter()
    ids = [letter.id for letter in letters]
    deadline = started + timeout
    while Letter.objects.filter(id__in=ids, status=Letter.Status.READY).count() < count:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the worker made fewer than {count} PDFs in {timeout} s")
        time.sleep(0.2)
    return {"letters": count, "seconds": time.perf_counter() - started}


def _copy_for_render(source: Letter) -> Letter:
    return Letter(
        case_id=source.case_id,
        step_id=source.step_id,
        person_id=source.person_id,
        kind=source.kind,
        template_id=source.template_id,
        template_version_id=source.template_version_id,
        status=Letter.Status.RENDERING,
        addressee_name=source.addressee_name,
        addressee_address=source.addressee_address,
        summary=source.summary,
        drafted_by_id=source.drafted_by_id,
        approved_by_id=source.approved_by_id,
        approved_at=timezone.now(),
        letter_date=timezone.localdate(),
    )


def verify_audit_s() -> dict:
    from django.core.management import call_command

    from brunswick.audit.models import AuditEvent

    started = time.perf_counter()
    call_command("verify_audit", stdout=_Discard())
    return {"events": AuditEvent.objects.count(), "seconds": time.perf_counter() - started}


def purge_s() -> dict:
    """The nightly purge as the 02:30 task runs it, over the filled data set."""
    from brunswick.retention.tasks import purge_expired_records

    started = time.perf_counter()
    totals = purge_expired_records()
    return {"seconds": time.perf_counter() - started, "purged": totals}


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
