"""The purge, with a fixed `today`: what goes, what stays, and what it records."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.retention import purge as purge_module
from brunswick.retention.files import pending_files_queue
from brunswick.retention.models import PendingFileDeletion, PurgedRecord, PurgeRun
from brunswick.retention.purge import purge_expired
from brunswick.retention.tombstones import PURGED
from cases.models import Case, Decision, LadderStep, Person
from letters.models import Letter
from reports.credentials import passphrase_matches
from reports.models import Message, Report, ReportCategory, Screenshot
from tests.factories import CaseFactory, PersonFactory, ReportFactory

from .helpers import CLOSED_AT, LONDON, SIX_YEARS_ON, closed_at_triage, file_names, old_closed_case

pytestmark = pytest.mark.django_db

CONTENT = ("Jordan", "Patel", "Priya", "07700", "Example Road", "example.org")


def purge(today: date):
    return purge_expired(today=today, dry_run=False)


def test_a_closed_case_is_kept_until_six_years_after_it_closed(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    assert purge(SIX_YEARS_ON - timedelta(days=1)).case_ids == []
    assert Case.objects.get(id=old.case.id).title == old.case.title
    assert purge(SIX_YEARS_ON).case_ids == [old.case.id]
    assert Case.objects.get(id=old.case.id).title == PURGED


@pytest.mark.smoke
def test_purging_a_case_clears_everything_on_it_and_keeps_the_ids(slt, head_teacher, private_media):
    old = old_closed_case(slt, head_teacher)
    files = [*file_names(old.screenshot), old.letter.pdf.name]
    assert all((private_media / name).exists() for name in files)

    result = purge(SIX_YEARS_ON)

    assert (result.case_ids, result.report_ids, result.person_ids, result.failed) == (
        [old.case.id],
        [],
        [old.person.id],  # Linked only to this case.
        [],
    )
    case, report = Case.objects.get(id=old.case.id), Report.objects.get(id=old.report.id)
    assert (case.title, case.status, case.closed_at) == (PURGED, "closed", CLOSED_AT)
    assert (report.description, report.posted_by, report.reporter_name) == (PURGED,) * 3
    assert (report.reporter_email, report.reporter_phone) == ("", "")
    assert report.reference == old.report.reference and report.case_id == case.id
    assert not passphrase_matches("apple banana cherry damson elder", report.passphrase_hash)
    assert list(ReportCategory.objects.filter(report=report).values_list("category", flat=True))
    assert Message.objects.get(id=old.message.id).body == PURGED
    shot = Screenshot.objects.get(id=old.screenshot.id)
    assert (shot.original.name, shot.working.name, shot.thumbnail.name) == ("", "", "")
    assert (shot.display_name, shot.original_sha256, shot.working_sha256) == (PURGED, "", "")
    assert (shot.width, shot.report_id) == (old.screenshot.width, report.id)
    letter = Letter.objects.get(id=old.letter.id)
    assert (letter.pdf.name, letter.pdf_sha256, letter.status) == ("", "", "ready")
    assert (letter.addressee_name, letter.addressee_address, letter.summary) == (PURGED,) * 3
    step = LadderStep.objects.get(id=old.step.id)
    assert (step.rationale, step.outcome, step.notes) == (PURGED, PURGED, "")
    decision = Decision.objects.get(case=case)
    assert (decision.reasons, decision.outcome) == (PURGED, "warning_issued")
    person = Person.objects.get(id=old.person.id)
    assert (person.full_name, person.postal_address, person.email) == (PURGED, PURGED, "")
    assert list(case.people.all()) == [person]  # The link stays: ids only.
    assert not any((private_media / name).exists() for name in files)
    assert not PendingFileDeletion.objects.exists()


def test_no_content_is_left_in_any_row_or_its_history(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    purge(SIX_YEARS_ON)
    for model in (Case, Report, Message, Screenshot, Letter, LadderStep, Decision, Person):
        rows = json.dumps(list(model.objects.values()), default=str)
        history = json.dumps(list(model.history.values()), default=str)
        for text in CONTENT:
            assert text not in rows, (model, text)
            assert text not in history, (model, text)
    # Each purged row's history is one entry: the purge itself.
    entries = Report.history.filter(id=old.report.id)
    assert [(e.history_type, e.history_change_reason) for e in entries] == [
        ("~", "Purged under the retention schedule")
    ]


def test_every_purged_row_is_marked_with_its_run(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    result = purge(SIX_YEARS_ON)
    marked = set(PurgedRecord.objects.values_list("model_label", "object_id"))
    assert {
        ("cases.case", old.case.id),
        ("reports.report", old.report.id),
        ("reports.message", old.message.id),
        ("reports.screenshot", old.screenshot.id),
        ("letters.letter", old.letter.id),
        ("cases.decision", old.decision.id),
        ("cases.person", old.person.id),
    } <= marked
    assert set(PurgedRecord.objects.values_list("run", flat=True)) == {result.run_id}


def run_events():
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.PURGED, object_type="retention.purgerun"
    )


def test_audit_events_stay_and_the_run_records_one_event_with_counts_only(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    audit_record(action=AuditEvent.Action.CASE_CLOSED, obj=old.case, actor=head_teacher)
    before = set(AuditEvent.objects.values_list("id", flat=True))

    result = purge(SIX_YEARS_ON)

    assert before <= set(AuditEvent.objects.values_list("id", flat=True))
    event = run_events().get()
    assert (event.object_type, event.object_id) == ("retention.purgerun", str(result.run_id))
    assert event.extra["counts"] == result.counts.data
    assert event.extra["counts"]["cases"] == {"2026": 1}
    assert event.extra["counts"]["files"] == {"2026": 4}  # Three for the screenshot, a PDF.
    assert (event.extra["interrupted"], event.extra["failures"]) == (False, 0)
    assert not any(text in json.dumps(event.extra) for text in CONTENT)
    run = PurgeRun.objects.get(id=result.run_id)
    assert run.counts == result.counts.data and run.finished_at and not run.interrupted


def test_each_case_and_person_purged_is_its_own_event_in_its_own_transaction(slt, head_teacher):
    """So a run stopped half way has recorded everything it committed."""
    old = old_closed_case(slt, head_teacher)

    result = purge(SIX_YEARS_ON)

    units = AuditEvent.objects.filter(action=AuditEvent.Action.PURGED).exclude(
        object_type="retention.purgerun"
    )
    assert [(e.object_type, e.object_id) for e in units.order_by("id")] == [
        ("cases.case", str(old.case.id)),
        ("cases.person", str(old.person.id)),
    ]
    case_event = units.get(object_type="cases.case")
    assert case_event.actor_kind == "system" and case_event.extra["run"] == result.run_id
    assert case_event.extra["counts"] == {
        "cases": 1,
        "decisions": 1,
        "files": 4,
        "ladder_steps": 2,
        "letters": 1,
        "messages": 1,
        "reports": 1,
        "screenshots": 1,
    }
    assert not any(text in json.dumps(case_event.extra) for text in CONTENT)


def test_counts_are_kept_per_category_and_per_year_made(slt, head_teacher):
    first = old_closed_case(slt, head_teacher)
    second = old_closed_case(slt, head_teacher)
    Case.objects.filter(id=first.case.id).update(opened_at=datetime(2025, 6, 1, tzinfo=LONDON))
    Report.objects.filter(id=second.report.id).update(
        submitted_at=datetime(2024, 1, 1, 12, tzinfo=LONDON)
    )
    counts = purge(SIX_YEARS_ON).counts
    assert counts.data["cases"] == {"2025": 1, "2026": 1}
    assert counts.data["reports"] == {"2024": 1, "2026": 1}
    assert counts.totals()["screenshots"] == 2 and counts.totals()["people"] == 2


def test_a_report_closed_at_triage_goes_a_year_after_it_was_closed(private_media):
    report = closed_at_triage(datetime(2026, 5, 20, 9, tzinfo=LONDON))
    shot = Screenshot.objects.get(report=report)
    assert purge(date(2027, 5, 19)).report_ids == []
    result = purge(date(2027, 5, 20))
    assert result.report_ids == [report.id]
    report.refresh_from_db()
    assert report.description == PURGED and report.reporter_email == ""
    assert not any((private_media / name).exists() for name in file_names(shot))


def test_open_cases_untriaged_reports_and_their_people_are_never_purged(slt):
    case = CaseFactory(lead=slt)
    person = PersonFactory(created_by=slt)
    case.people.add(person)
    ReportFactory(case=case, status=Report.Status.BEING_LOOKED_AT)
    untriaged = ReportFactory()
    result = purge(date(2100, 1, 1))
    assert (result.case_ids, result.report_ids) == ([], [])
    assert person.id not in result.person_ids
    assert Report.objects.get(id=untriaged.id).description == untriaged.description


def test_a_person_stays_while_any_of_their_cases_is_kept(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    CaseFactory(lead=slt).people.add(old.person)  # Still open.
    result = purge(SIX_YEARS_ON)
    assert result.case_ids == [old.case.id] and result.person_ids == []
    assert Person.objects.get(id=old.person.id).full_name == "Jordan Smith"


def test_a_person_never_linked_to_a_case_goes_a_year_after_being_added(slt):
    person = PersonFactory(created_by=slt)
    added = timezone.localdate(person.created_at)
    assert purge(added + timedelta(days=364)).person_ids == []
    assert purge(added + timedelta(days=366)).person_ids == [person.id]


def test_a_second_run_finds_nothing_to_do(slt, head_teacher):
    old_closed_case(slt, head_teacher)
    purge(SIX_YEARS_ON)
    again = purge(SIX_YEARS_ON)
    assert (again.case_ids, again.report_ids, again.person_ids) == ([], [], [])
    assert again.counts.totals() == {}
    assert run_events().count() == 2
    assert PurgeRun.objects.get(id=again.run_id).counts == {}


def test_a_dry_run_changes_nothing_and_lists_what_would_go(slt, head_teacher, private_media):
    old = old_closed_case(slt, head_teacher)
    triaged = closed_at_triage(datetime(2026, 1, 5, tzinfo=LONDON))
    events = AuditEvent.objects.count()

    result = purge_expired(today=SIX_YEARS_ON, dry_run=True)

    assert result.dry_run and result.run_id is None
    assert (result.case_ids, result.report_ids, result.person_ids) == (
        [old.case.id],
        [triaged.id],
        [old.person.id],
    )
    assert result.counts.totals()["screenshots"] == 2
    assert not PurgedRecord.objects.exists() and not PurgeRun.objects.exists()
    assert AuditEvent.objects.count() == events
    assert Case.objects.get(id=old.case.id).title == old.case.title
    assert all((private_media / name).exists() for name in file_names(old.screenshot))


def test_a_record_that_fails_is_left_for_the_next_run_and_the_others_go(monkeypatch):
    first = closed_at_triage(datetime(2026, 1, 5, tzinfo=LONDON))
    second = closed_at_triage(datetime(2026, 1, 6, tzinfo=LONDON))
    real = purge_module._purge_report

    def broken(report_id, cutoffs):
        if report_id == first.id:
            raise RuntimeError("disk on fire")
        return real(report_id, cutoffs)

    monkeypatch.setattr(purge_module, "_purge_report", broken)
    result = purge(date(2030, 1, 1))
    assert result.report_ids == [second.id]
    assert result.failed == [f"reports.report:{first.id}"]
    assert Report.objects.get(id=first.id).description == first.description  # Rolled back.
    assert Screenshot.objects.get(report=first).original.name  # Its files untouched.
    assert run_events().get().extra["failures"] == 1
    assert PurgeRun.objects.get(id=result.run_id).failures == [f"reports.report:{first.id}"]

    monkeypatch.setattr(purge_module, "_purge_report", real)
    assert purge(date(2030, 1, 1)).report_ids == [first.id]


def test_the_next_run_closes_an_interrupted_one_and_deletes_the_files_it_left(private_media):
    stopped = PurgeRun.objects.create(run_on=date(2030, 1, 1), counts={"reports": {"2026": 7}})
    (private_media / "working").mkdir(parents=True)
    (private_media / "working" / "left.png").write_bytes(b"x")
    pending_files_queue(["working/left.png"])

    purge(date(2030, 1, 2))

    stopped.refresh_from_db()
    assert stopped.interrupted and stopped.finished_at
    event = AuditEvent.objects.get(action="purged", object_id=str(stopped.id))
    assert event.extra["counts"] == {"reports": {"2026": 7}} and event.extra["interrupted"]
    assert not (private_media / "working" / "left.png").exists()
    assert not PendingFileDeletion.objects.exists()
