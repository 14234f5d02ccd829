"""After a restore from backup the erased data is back: `reapply_erasures` erases it again."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.erasure import erasure_apply
from brunswick.subject_access.models import ErasureRecord
from cases.models import Person
from letters.models import Letter
from reports.models import Report

from .conftest import close_the_case

pytestmark = pytest.mark.django_db

OLD_PDF = b"%PDF-1.7 the letter as it was"


def erased(world, head_teacher, django_capture_on_commit_callbacks):
    old = {
        "person": Person.objects.values().get(id=world.person.id),
        "letter": Letter.objects.values().get(id=world.letter.id),
        "report": Report.objects.values().get(id=world.report.id),
    }
    with django_capture_on_commit_callbacks(execute=True):
        erasure_apply(person=world.person, reason="Parent's request", acting_user=head_teacher)
    return old


def restore(old: dict) -> None:
    """What a restore from an older backup does: the old values are back, and the files."""
    person = Person.objects.get(id=old["person"]["id"])
    for name in ("full_name", "pupils", "group_names", "postal_address", "email"):
        setattr(person, name, old["person"][name])
    person.save()
    letter = Letter.objects.get(id=old["letter"]["id"])
    for name in ("addressee_name", "addressee_address", "addressee_email", "pdf"):
        setattr(letter, name, old["letter"][name])
    letter.save()
    default_storage.save(old["letter"]["pdf"], ContentFile(OLD_PDF))
    report = Report.objects.get(id=old["report"]["id"])
    report.posted_by, report.description = old["report"]["posted_by"], old["report"]["description"]
    report.save()


def reapply(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reapply_erasures", stdout=out)
    return out.getvalue()


def assert_erased_again(world, pdf_name: str) -> None:
    person = Person.objects.get(id=world.person.id)
    assert (person.full_name, person.email, person.postal_address) == ("[erased]", "", "")
    letter = Letter.objects.get(id=world.letter.id)
    assert (letter.addressee_name, letter.pdf.name) == ("[erased]", "")
    assert not default_storage.exists(pdf_name)
    report = Report.objects.get(id=world.report.id)
    assert "Jordan" not in report.posted_by + report.description
    for row in Person.history.filter(id=world.person.id):
        assert row.full_name == "[erased]" and row.email == ""


def test_it_erases_again_after_the_data_is_put_back(
    head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    old = erased(world, head_teacher, django_capture_on_commit_callbacks)
    restore(old)
    assert Person.objects.get(id=world.person.id).full_name == "Jordan Smith"

    output = reapply(django_capture_on_commit_callbacks)

    assert f"Person #{world.person.id}: erased again" in output
    assert_erased_again(world, old["letter"]["pdf"])
    record = ErasureRecord.objects.get(person_id=world.person.id)
    assert record.reapplied_at is not None
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ERASURE_APPLIED)
    assert events.count() == 2
    assert events.order_by("id").last().extra["reapplied"] is True


def test_it_changes_nothing_when_nothing_is_left_to_erase(
    head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    erased(world, head_teacher, django_capture_on_commit_callbacks)
    history_rows = Person.history.count() + Letter.history.count() + Report.history.count()
    events = AuditEvent.objects.count()

    assert "Nothing to erase again" in reapply(django_capture_on_commit_callbacks)
    assert "Nothing to erase again" in reapply(django_capture_on_commit_callbacks)

    assert Person.history.count() + Letter.history.count() + Report.history.count() == (
        history_rows
    )
    assert AuditEvent.objects.count() == events
    assert ErasureRecord.objects.get(person_id=world.person.id).reapplied_at is None


def test_the_ledger_brings_back_an_erasure_the_restored_database_lost(
    head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    old = erased(world, head_teacher, django_capture_on_commit_callbacks)
    # A backup from before the erasure has no record of it.
    ErasureRecord.objects.all().delete()
    restore(old)

    reapply(django_capture_on_commit_callbacks)

    assert_erased_again(world, old["letter"]["pdf"])
    record = ErasureRecord.objects.get(person_id=world.person.id)
    assert record.decided_by == head_teacher and record.reason == "Parent's request"


def test_a_lost_record_made_again_from_the_ledger_is_audited_even_with_nothing_to_erase(
    head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    erased(world, head_teacher, django_capture_on_commit_callbacks)
    ErasureRecord.objects.all().delete()  # Restored from a backup that lost only the record.

    assert "Nothing to erase again" in reapply(django_capture_on_commit_callbacks)

    record = ErasureRecord.objects.get(person_id=world.person.id)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ERASURE_APPLIED).latest("id")
    assert event.extra == {"erasure": record.id, "reapplied": True, "record_recreated": True}
    assert "Nothing to erase again" in reapply(django_capture_on_commit_callbacks)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASURE_APPLIED).count() == 2
