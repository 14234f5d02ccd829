"""Erasing a person's personal data (UK GDPR Article 17), on the Head Teacher's decision.

Erased:
- the register entry: name → "[erased]"; children, group names, address and e-mail
  cleared. The row stays, because cases, steps and letters point at it;
- letters addressed to them: addressee name → "[erased]", address, e-mail and their
  children's classes cleared, the PDF deleted and the field cleared. The letter stays as
  a tombstone (kind, dates, who approved it, the PDF's hash);
- their name, e-mail, group names and children's names wherever they appear in the
  personal fields (brunswick.retention.personal_data) of the records about them: their
  cases and everything on them (reports, messages, screenshots' file names, steps, the
  decision, reopenings, letters, holds), reports anywhere whose "who posted it" names
  them, their subject access requests and the reason recorded for this erasure. In free
  text the names are replaced; an e-mail address or phone number field that is theirs is
  emptied. We replace the names rather than delete descriptions: a report is also the
  reporter's own account and evidence in its case; what identifies this person in it is
  their name;
- in the records of their own cases, their requests and this erasure's reason, also the
  other forms of their names and address (redaction.py: a first name or surname alone,
  with a title or an initial, an address line, the postcode), except any such form that
  is also someone else's: another person on those cases, a reporter on them, a member of
  staff, or the school (its name, signatory and Designated Safeguarding Lead). Erasing
  changes the only record there is, so a word that could be another person's is left
  for them: "Smith" alone stays when the other parent is a Smith too, while "Jordan
  Smith" still goes. Elsewhere (a report on another case whose "who posted it" names
  them) only the values as recorded are replaced: "Jordan" alone there is as likely to
  be another Jordan. A contact field (an e-mail or phone) is emptied only when it is
  theirs as recorded;
- the same values in simple-history's historical rows of every one of those objects
  (updated in place; otherwise the erased data would survive in history).

Kept: every audit event (they hold ids and codes, never content), the rows themselves,
reporters' details unless they are this person's own, and the screenshots' images
(images cannot be edited, and they are the reporter's evidence). The PDFs of letters to
other people are kept as they were sent.

The erasure is recorded twice: an ErasureRecord (counts only), and a line in the erasure
ledger, a file outside the database, so that a restore from a backup taken before the
erasure does not bring the data back for good: `manage.py reapply_erasures` applies every
recorded erasure again, and changes nothing where nothing is left to erase.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from brunswick.accounts.models import User
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.retention.holds import held_case_ids
from brunswick.retention.models import LegalHold
from brunswick.retention.personal_data import PERSONAL, emptied
from brunswick.school.models import SchoolSettings
from cases.models import Case, CaseReopening, Decision, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot

from .models import ErasureRecord, SubjectAccessRequest
from .redaction import ERASED, WHOLE, Redactor, name_forms, person_needles

logger = logging.getLogger(__name__)

CHANGE_REASON = "Personal data erased"
# Their own register entry and the addressee of letters to them: cleared whole.
PERSON_CLEARED = emptied(Person, ERASED)
LETTER_CLEARED = emptied(Letter, ERASED)
# Everywhere else, the personal fields where they may be named: their names are replaced.
NAMED_IN: dict[type[models.Model], tuple[str, ...]] = {
    model: declared.text for model, declared in PERSONAL.items() if model is not Person
}
# Of those, the e-mail address and phone number fields: emptied if they are the person's.
CONTACTS: dict[type[models.Model], tuple[str, ...]] = {
    model: declared.contact for model, declared in PERSONAL.items()
}
# A letter still being made or waiting to go out would be sent, or fail, without its
# addressee: finish it first.
LETTERS_IN_HAND = [
    Letter.Status.RENDERING,
    Letter.Status.READY,
    Letter.Status.PRINTED,
]


class ErasureRefused(Exception):
    pass


def erasure_refusal(person: Person) -> str:
    """Why this person cannot be erased now ("" if they can)."""
    if ErasureRecord.objects.filter(person_id=person.id).exists():
        return "This person's personal data has already been erased"
    if person.cases.open().exists():
        return "Close this person's open cases first: an open case still needs their details"
    if (
        LegalHold.objects.active().filter(person=person).exists()
        or person.cases.filter(id__in=held_case_ids()).exists()
    ):
        return "This person, or one of their cases, is on legal hold: release the hold first"
    if Letter.objects.filter(person=person, status__in=LETTERS_IN_HAND).exists():
        return (
            "A letter to this person is still being made or waiting to be posted or e-mailed: "
            "finish it first"
        )
    return ""


def erasure_apply(*, person: Person, reason: str, acting_user) -> ErasureRecord:
    """Erase the person's personal data (see the module's docstring), record an
    ErasureRecord and an audit event with counts, in one transaction; on commit, delete
    the letters' PDFs and add the erasure to the ledger."""
    with transaction.atomic():
        # Locked first, so two erasures of one person (a double click) cannot both pass.
        person = Person.objects.select_for_update().get(id=person.id)
        if problem := erasure_refusal(person):
            raise ErasureRefused(problem)
        # The reason is about them too: it is recorded (and written to the ledger) without
        # their names.
        reason = _erasing(person.id).on_their_records.text(reason, "")
        person, counts = _erase(person.id)
        record = ErasureRecord.objects.create(
            person_id=person.id,
            reason=reason,
            decided_by=acting_user,
            applied_at=timezone.now(),
            erased=counts,
        )
        audit_record(
            action=AuditEvent.Action.ERASURE_APPLIED,
            obj=person,
            actor=acting_user,
            erasure=record.id,
            **counts,
        )
        transaction.on_commit(lambda: ledger_append(record))
    return record


def erasures_reapply() -> dict[int, dict[str, int]]:
    """Apply every recorded erasure again (after a restore from backup), including those
    in the ledger that the restored database no longer records (their ErasureRecord is
    made again). Each person in one transaction, with an audit event if anything was
    erased or recreated. Idempotent: where nothing is left to erase, nothing changes.
    Returns what was erased again, per person id."""
    ledger = _ledger_entries()
    person_ids = set(ledger) | set(ErasureRecord.objects.values_list("person_id", flat=True))
    again = {}
    for person_id in sorted(person_ids):
        with transaction.atomic():
            record = ErasureRecord.objects.filter(person_id=person_id).first()
            recreated = False
            if record is None:  # Known from the ledger only.
                record = _record_from(ledger[person_id])
                recreated = record is not None
            person, counts = _erase(person_id)
            if not counts and not recreated:
                continue
            if record and counts:
                record.reapplied_at = timezone.now()
                record.save(update_fields=["reapplied_at"])
            audit_record(
                action=AuditEvent.Action.ERASURE_APPLIED,
                obj=person,
                actor_kind="system",
                erasure=record.id if record else None,
                reapplied=True,
                record_recreated=recreated,
                **counts,
            )
        if counts:
            again[person_id] = counts
    return again


def _erase(person_id: int) -> tuple[Person | None, dict[str, int]]:
    """Erase everything about the person that is still there; counts of what changed."""
    person = Person.objects.select_for_update().filter(id=person_id).first()
    if person is None:
        return None, {}
    erasing = _erasing(person_id)
    counts: Counter[str] = Counter()
    counts["person"] += _set(person, PERSON_CLEARED)
    counts["history_rows"] += (
        Person.history.filter(id=person_id).exclude(**PERSON_CLEARED).update(**PERSON_CLEARED)
    )
    _erase_letters(person_id, counts)
    if erasing.everywhere:
        theirs, elsewhere = _named_in(person_id, erasing.everywhere)
        for model, fields in NAMED_IN.items():
            label = model._meta.model_name
            for objects, redactor in (
                (theirs[model], erasing.on_their_records),  # A model missing: a KeyError.
                (elsewhere.get(model, []), erasing.everywhere),
            ):
                for obj in objects:
                    counts[label] += _replace(obj, fields, redactor, erasing.everywhere)
                ids = [obj.pk for obj in objects]
                counts["history_rows"] += _scrub_history(
                    model, ids, fields, redactor, erasing.everywhere
                )
    return person, {key: count for key, count in counts.items() if count}


@dataclass(frozen=True)
class Erasing:
    """What to replace with "[erased]": `everywhere`, their values as recorded (full name,
    e-mail, group names, children's names); `on_their_records`, those and the other forms
    of their names and address that are no one else's (see the module's docstring)."""

    everywhere: Redactor
    on_their_records: Redactor


def _erasing(person_id: int) -> Erasing:
    """Every value of their register entry, now and in its history (a value changed since
    is still in older rows and texts)."""
    sources = [*Person.objects.filter(id=person_id), *Person.history.filter(id=person_id)]
    needles = [needle for source in sources for needle in person_needles(source, "their", ERASED)]
    recorded = [needle for needle in needles if needle.form == WHOLE]
    others = _someone_elses(person_id)
    forms = [
        needle
        for needle in needles
        if needle.form != WHOLE and needle.value.strip().lower() not in others
    ]
    return Erasing(
        everywhere=Redactor(recorded, keep=[ERASED]),
        on_their_records=Redactor(recorded + forms, keep=[ERASED]),
    )


def _someone_elses(person_id: int) -> set[str]:
    """The names and addresses, in every form, of the other people on their cases, the
    reporters on those cases, the staff and the school (lower case)."""
    case_ids = list(Case.objects.filter(people=person_id).values_list("id", flat=True))
    people = Person.objects.filter(cases__in=case_ids).exclude(id=person_id).distinct()
    reporters = Report.objects.filter(case_id__in=case_ids).values_list("reporter_name", flat=True)
    staff = [user.get_full_name() for user in User.objects.only("first_name", "last_name")]
    school = SchoolSettings.current()
    names = [*reporters, *staff, school.name, school.signatory_name, school.dsl_name]
    values = [
        *(needle.value for other in people for needle in person_needles(other, "", "")),
        *names,
        *(needle.value for name in names for needle in name_forms(name, "", "")),
    ]
    return {value.strip().lower() for value in values if value.strip()}


def _scrubbed(
    model: type[models.Model], name: str, value: str, redactor: Redactor, recorded: Redactor
) -> str:
    """The value without the person's names: an e-mail or phone field that is theirs (as
    recorded: `recorded`) is emptied; in text, each name is replaced."""
    if name in CONTACTS[model]:
        return "" if value and recorded.matches(value) else value
    return redactor.text(value, "")


def _erase_letters(person_id: int, counts: Counter) -> None:
    letters = list(Letter.objects.select_for_update().filter(person_id=person_id))
    for letter in letters:
        had_pdf = bool(letter.pdf)
        if had_pdf:
            name = letter.pdf.name
            # After commit: a rolled-back erasure must not lose a letter's PDF.
            transaction.on_commit(lambda name=name: default_storage.delete(name))
            letter.pdf = ""
            counts["letter_pdfs"] += 1
        counts["letters_to_them"] += _set(letter, LETTER_CLEARED, force=had_pdf)
    cleared = {**LETTER_CLEARED, "pdf": ""}
    history = Letter.history.filter(id__in=[letter.id for letter in letters])
    counts["history_rows"] += history.exclude(**cleared).update(**cleared)


def _set(obj: models.Model, values: dict[str, str], force: bool = False) -> int:
    """Give the fields these values; save (simple-history records it) if any changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed and not force:
        return 0
    for name in changed:
        setattr(obj, name, values[name])
    obj._change_reason = CHANGE_REASON
    obj.save()
    return 1


def _replace(
    obj: models.Model, fields: tuple[str, ...], redactor: Redactor, recorded: Redactor
) -> int:
    model = type(obj)
    replaced = {
        name: _scrubbed(model, name, getattr(obj, name), redactor, recorded) for name in fields
    }
    changed = [name for name, text in replaced.items() if text != getattr(obj, name)]
    if not changed:
        return 0
    for name in changed:
        setattr(obj, name, replaced[name])
    obj._change_reason = CHANGE_REASON
    # Only these fields: nothing else about the record (its version, its dates) changes.
    obj.save(update_fields=changed)
    return 1


def _named_in(
    person_id: int, redactor: Redactor
) -> tuple[dict[type[models.Model], list], dict[type[models.Model], list]]:
    """The records about this person (their cases and everything on them, their own
    requests and erasure), and, apart, the reports on other cases whose "who posted it"
    names them, with those reports' messages and screenshots."""
    case_ids = list(Case.objects.filter(people=person_id).values_list("id", flat=True))
    posters = (
        Report.objects.exclude(posted_by="")
        .exclude(case_id__in=case_ids)
        .values_list("id", "posted_by")
    )
    posted = Report.objects.filter(
        id__in=[report_id for report_id, text in posters if redactor.matches(text)]
    )
    reports = Report.objects.filter(case_id__in=case_ids)
    theirs = {
        Case: list(Case.objects.filter(id__in=case_ids)),
        Report: list(reports),
        Message: list(Message.objects.filter(report__in=reports)),
        Screenshot: list(Screenshot.objects.filter(report__in=reports)),
        LadderStep: list(LadderStep.objects.filter(case_id__in=case_ids)),
        Decision: list(Decision.objects.filter(case_id__in=case_ids)),
        CaseReopening: list(CaseReopening.objects.filter(case_id__in=case_ids)),
        Letter: list(Letter.objects.filter(Q(case_id__in=case_ids) | Q(person_id=person_id))),
        LegalHold: list(LegalHold.objects.filter(Q(case_id__in=case_ids) | Q(person_id=person_id))),
        SubjectAccessRequest: list(SubjectAccessRequest.objects.filter(person_id=person_id)),
        ErasureRecord: list(ErasureRecord.objects.filter(person_id=person_id)),
    }
    elsewhere = {
        Report: list(posted),
        Message: list(Message.objects.filter(report__in=posted)),
        Screenshot: list(Screenshot.objects.filter(report__in=posted)),
    }
    return theirs, elsewhere


def _scrub_history(
    model: type[models.Model],
    ids: list[int],
    fields: tuple[str, ...],
    redactor: Redactor,
    recorded: Redactor,
) -> int:
    """Replace the names in the historical rows of these objects, in place. The history
    table is simple-history's own copy: updating it records nothing further."""
    scrubbed = 0
    for row in model.history.filter(id__in=ids).only("history_id", *fields).iterator():
        replaced = {
            name: _scrubbed(model, name, getattr(row, name), redactor, recorded) for name in fields
        }
        changed = {name: text for name, text in replaced.items() if text != getattr(row, name)}
        if changed:
            model.history.filter(history_id=row.history_id).update(**changed)
            scrubbed += 1
    return scrubbed


# --- The ledger: erasures recorded outside the database --------------------------------


def ledger_path() -> Path:
    return Path(
        getattr(settings, "ERASURE_LEDGER_PATH", None)
        or Path(settings.VAR_DIR) / "erasure-ledger.jsonl"
    )


def ledger_append(record: ErasureRecord) -> None:
    """One line per erasure: the person's id, who decided, when, and why; no names."""
    line = {
        "person_id": record.person_id,
        "decided_by": record.decided_by_id,
        "applied_at": record.applied_at.isoformat(),
        "reason": record.reason,
    }
    path = ledger_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(line) + "\n")
        path.chmod(0o600)
    except OSError:
        # The erasure itself is committed; only its copy outside the database is missing.
        logger.exception("Could not add erasure %s to the ledger at %s", record.id, path)


def _ledger_entries() -> dict[int, dict]:
    """The ledger's lines, by person id (the last line for a person wins)."""
    path = ledger_path()
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {entry["person_id"]: entry for entry in map(json.loads, filter(None, lines))}


def _record_from(entry: dict) -> ErasureRecord | None:
    """The ErasureRecord a restored database has lost, made again from its ledger line.
    None if the Head Teacher who decided it is gone too: the data is still erased again."""
    decided_by = User.objects.filter(id=entry["decided_by"]).first()
    if decided_by is None:
        logger.error("Erasure of person %s: recreate its record by hand", entry["person_id"])
        return None
    return ErasureRecord.objects.create(
        person_id=entry["person_id"],
        reason=entry["reason"],
        decided_by=decided_by,
        applied_at=parse_datetime(entry["applied_at"]),
    )
