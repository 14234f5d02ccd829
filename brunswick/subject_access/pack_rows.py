"""How the personal fields of one record become rows of a subject access pack.

Which fields are personal, and of which kind, is brunswick.retention.personal_data's
declaration, shared with the purge and erasure; this module only says what each field is
called in the pack (LABELS) and how each kind is shown:
- free text (`written`) is shown with other people's details redacted, or withheld with
  a reason when it is not the requester's to have (a case-wide record of a case about
  several people, the name of a reporter's file);
- a record's `identity` and `contact` fields are shown as held when the record is the
  requester's own (their register entry, a letter to them) and replaced whole otherwise
  (a reporter's name, e-mail and phone).

A declared field with no label is a KeyError here, never a field silently left out;
tests/subject_access/test_pack_labels.py checks every declared field has one.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import timezone

from brunswick.retention.models import LegalHold
from brunswick.retention.personal_data import PERSONAL
from cases.models import Case, CaseReopening, Decision, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot

from .models import ErasureRecord, SubjectAccessRequest
from .redaction import THIRD_PARTY, Redaction, Redactor

Row = tuple[str, str]

ABOUT_THE_CASE = "about the case as a whole"
REPORTERS_FILE = "it is the name of the reporter's own file, and may name them"


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y}, {value:%H:%M}"
    return f"{value.day} {value:%B %Y}"


def rows(*pairs: tuple[str, object]) -> list[Row]:
    """Label and value pairs, leaving out what was never recorded."""
    return [(label, str(value)) for label, value in pairs if value not in ("", None)]


def withheld_marker(why: str) -> str:
    return f"[withheld: {why}]"


@dataclass(frozen=True)
class Label:
    row: str  # The row's label in the pack.
    noun: str  # What it is, in the appendix: "reasons", "the reporter's name".


def _labels(**pairs: tuple[str, str]) -> dict[str, Label]:
    return {name: Label(*pair) for name, pair in pairs.items()}


LABELS: dict[type[models.Model], dict[str, Label]] = {
    Person: _labels(
        full_name=("Name", "name"),
        pupils=("Children and classes", "children and classes"),
        group_names=("Names in WhatsApp groups", "names in groups"),
        postal_address=("Postal address", "postal address"),
        email=("E-mail", "e-mail address"),
    ),
    Case: _labels(title=("Title", "title")),
    Report: _labels(
        group_other=("Group (not on the school's list)", "group"),
        posted_by=("Who posted it", "who posted it"),
        description=("What happened", "description"),
        reporter_name=("Reported by", "the reporter's name"),
        reporter_email=("Their e-mail", "the reporter's e-mail address"),
        reporter_phone=("Their phone", "the reporter's phone number"),
    ),
    Message: _labels(body=("Message", "message")),
    Screenshot: _labels(display_name=("File name", "the file name on the reporter's device")),
    LadderStep: _labels(
        rationale=("Why this step", "why this step"),
        skip_reason=("Why earlier steps were skipped", "why earlier steps were skipped"),
        notes=("Notes", "notes"),
        outcome=("Outcome", "outcome"),
        decision_note=("The Head Teacher's note", "the Head Teacher's note"),
        withdrawn_reason=("Why it was withdrawn", "why it was withdrawn"),
        attendees=("Who attended", "who attended"),
        minutes=("Minutes", "minutes"),
        representations=("Representations", "representations"),
        urgent_reasons=("Reasons for an urgent ban", "reasons for an urgent ban"),
    ),
    Decision: _labels(reasons=("Reasons", "reasons")),
    CaseReopening: _labels(reason=("Why it was reopened", "why it was reopened")),
    Letter: _labels(
        addressee_name=("To", "addressee"),
        addressee_address=("Address", "address"),
        addressee_email=("E-mail", "e-mail address"),
        summary=("Summary written by staff", "summary"),
        incident_group=("Group", "group"),
        incident_posted=("What was posted", "what was posted"),
        pupil_class=("Children and classes", "children and classes"),
        attendees=("Who will attend", "who will attend"),
    ),
    LegalHold: _labels(
        reason=("Why the records are kept", "reason"),
        release_reason=("Why the hold was released", "reason for release"),
    ),
    SubjectAccessRequest: _labels(notes=("Notes", "notes")),
    ErasureRecord: _labels(reason=("Why the data was erased", "reason")),
}


def personal_fields(model: type[models.Model]) -> list[str]:
    """The model's declared text fields, in the model's own order."""
    declared = set(PERSONAL[model].text)
    return [field.name for field in model._meta.concrete_fields if field.name in declared]


@dataclass(frozen=True)
class Withheld:
    """Something left out of the pack: where, what (never its content) and why."""

    where: str
    what: str
    why: str


class PackRows:
    """Builds rows from records' personal fields, redacting with one Redactor and keeping
    the list of what was withheld, for the appendix."""

    def __init__(self, redactor: Redactor):
        self.redactor = redactor
        self.withheld: list[Withheld] = []

    @property
    def redactions(self) -> list[Redaction]:
        return self.redactor.log

    def of(
        self,
        obj: models.Model,
        where: str,
        *,
        own: bool = False,
        whose: str = THIRD_PARTY,
        withhold: str = "",
    ) -> list[Row]:
        """Rows for `obj`'s personal fields that hold anything.

        own: identity and contact fields are the requester's, shown as held; otherwise
        they are replaced whole by `whose` (e.g. "[redacted: reporter]").
        withhold: a reason; free text is then withheld, marked and listed, not shown."""
        model = type(obj)
        declared = PERSONAL[model]
        rows = []
        for name in personal_fields(model):
            label, value = LABELS[model][name], getattr(obj, name)
            if not value.strip():
                continue
            if name not in declared.written:
                shown = value if own else self.redactor.field(value, where, label.noun, whose)
            elif withhold:
                self.withheld.append(Withheld(where, label.noun, withhold))
                shown = withheld_marker(withhold)
            else:
                shown = self.redactor.text(value, f"{where}, {label.noun}")
            rows.append((label.row, shown))
        return rows

    def withhold(self, where: str, what: str, why: str) -> None:
        self.withheld.append(Withheld(where, what, why))
