"""Which fields of each model hold personal data: the one declaration that the purge
(tombstones.py), erasure (subject_access/erasure.py) and the subject access pack
(subject_access/pack.py) all read, so that a field added here reaches all three at once.

Every text, file and JSON field of every model of the project's own apps is classified
here; tests/retention/test_personal_data.py fails on a new field until someone decides
which kind it is, and fails if any of the three consumers misses a declared field.

The kinds:
- `written`: free text people wrote (a description, a note, a reason). It may name or
  reach anyone: the purge replaces it with "[purged]", erasure replaces the erased
  person's names in it, the pack shows it with other people's details redacted (or
  withholds it, when it is about a whole case shared with others);
- `identity`: who the record's own person is, and where: a name, a postal address,
  children, the names someone uses in groups. "[purged]"; erased when that person is
  erased; in a pack shown only to that person;
- `contact`: e-mail addresses and phone numbers. Emptied by the purge and by erasure;
  in a pack, as identity;
- `files`: files on disk (screenshots, letter PDFs). Deleted by the purge; the pack
  carries screenshots' working copies only;
- `fingerprints`: hashes of those files, which would still show which image or letter
  it was. Emptied by the purge;
- `not_personal`: codes, statuses, references, counts, error class names;
- `staff_or_school`: the school's own details and its staff's names and work contacts.
  Not a parent's or a reporter's data: never purged, erased or put in a pack with theirs
  (staff act for the school; their accounts are kept and closed in accounts).

simple-history's historical models copy their model's fields: they follow the model's
declaration (the purge deletes their rows; erasure scrubs the same fields in them).

PERSONAL is keyed by model, because its consumers clear those models; the models with no
parent's data are named by label ("accounts.User"), because only the guard reads them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from cases.models import Case, CaseReopening, Decision, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot

from .models import LegalHold


@dataclass(frozen=True)
class Fields:
    """The classified fields of one model, by kind (see the module's docstring)."""

    written: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()
    contact: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    fingerprints: tuple[str, ...] = ()
    not_personal: tuple[str, ...] = ()
    staff_or_school: tuple[str, ...] = ()

    @property
    def text(self) -> tuple[str, ...]:
        """Every field holding text about a parent, a carer or a reporter."""
        return self.written + self.identity + self.contact

    @property
    def personal(self) -> tuple[str, ...]:
        return self.text + self.files + self.fingerprints

    @property
    def classified(self) -> tuple[str, ...]:
        return self.personal + self.not_personal + self.staff_or_school


# Records about parents, carers and reporters.
PERSONAL: dict[type[models.Model], Fields] = {
    Report: Fields(
        written=("group_other", "posted_by", "description"),
        identity=("reporter_name",),
        contact=("reporter_email", "reporter_phone"),
        # The hash is of a passphrase nobody keeps; the purge replaces it all the same.
        not_personal=(
            "reference",
            "passphrase_hash",
            "status",
            "reporter_relationship",
            "closed_reason",
        ),
    ),
    Message: Fields(written=("body",), not_personal=("author",)),
    Screenshot: Fields(
        # The name of the file on the reporter's phone can name people.
        written=("display_name",),
        files=("original", "working", "thumbnail"),
        fingerprints=("original_sha256", "working_sha256"),
        not_personal=("source_format", "working_content_type"),
    ),
    Case: Fields(written=("title",), not_personal=("status",)),
    LadderStep: Fields(
        written=(
            "rationale",
            "skip_reason",
            "notes",
            "outcome",
            "decision_note",
            "withdrawn_reason",
            "attendees",
            "minutes",
            "representations",
            "urgent_reasons",
        ),
        not_personal=("kind", "status", "ban_type"),
    ),
    Decision: Fields(written=("reasons",), not_personal=("outcome",)),
    CaseReopening: Fields(written=("reason",)),
    Letter: Fields(
        # The facts a letter states, as staff confirmed them on the draft.
        written=("summary", "incident_group", "incident_posted", "attendees"),
        identity=("addressee_name", "addressee_address", "pupil_class"),
        contact=("addressee_email",),
        files=("pdf",),
        fingerprints=("pdf_sha256",),
        # render_error is the renderer's message about the template, never the letter's.
        not_personal=("kind", "status", "delivery", "render_error", "meeting_time"),
    ),
    Person: Fields(
        identity=("full_name", "pupils", "group_names", "postal_address"),
        contact=("email",),
    ),
    LegalHold: Fields(written=("reason", "release_reason")),
    # Apps above this one add theirs with declare() (subject_access: its requests and
    # erasure records).
}

# How each purged model is counted: (category, the field whose year counts).
COUNTED_AS: dict[type[models.Model], tuple[str, str]] = {
    Case: ("cases", "opened_at"),
    Report: ("reports", "submitted_at"),
    Message: ("messages", "sent_at"),
    Screenshot: ("screenshots", "uploaded_at"),
    LadderStep: ("ladder_steps", "proposed_at"),
    Decision: ("decisions", "decided_on"),
    CaseReopening: ("case_reopenings", "reopened_at"),
    Letter: ("letters", "drafted_at"),
    Person: ("people", "created_at"),
    LegalHold: ("legal_holds", "placed_at"),
}
# What else is purged with a person, besides their register entry and the holds on them.
PURGED_WITH_PERSON: list[Callable[[Person], list[models.Model]]] = []


def declare(
    model: type[models.Model],
    fields: Fields,
    *,
    counted_as: tuple[str, str],
    purged_with_person: Callable[[Person], list[models.Model]] | None = None,
) -> None:
    """For an app that depends on this one (subject_access) to declare its own models, so
    that the purge, erasure and the pack treat them as they treat these. Call it where the
    models are defined: consumers read the declaration when they are imported."""
    PERSONAL[model] = fields
    COUNTED_AS[model] = counted_as
    if purged_with_person and purged_with_person not in PURGED_WITH_PERSON:
        PURGED_WITH_PERSON.append(purged_with_person)


# The rest of the project's models, by label: nothing a parent, carer or reporter wrote
# or is.
NOT_ABOUT_PARENTS: dict[str, Fields] = {
    "accounts.User": Fields(
        staff_or_school=("username", "first_name", "last_name", "email"),
        not_personal=("password",),  # A hash.
    ),
    "access.RoleGrant": Fields(not_personal=("role", "status")),
    "school.SchoolSettings": Fields(
        staff_or_school=(
            "name",
            "address",
            "phone",
            "email",
            "dsl_name",
            "dsl_contact",
            "signatory_name",
            "signatory_role",
            "dpo_name",
            "dpo_contact",
        ),
        not_personal=("ico_registration_number", "privacy_notice_extra"),
    ),
    "school.ClassGroup": Fields(not_personal=("name",)),
    "school.TermDate": Fields(not_personal=("name",)),
    "school.ClosureDay": Fields(not_personal=("reason",)),
    # The school's wording, with placeholders; the values go into each letter, not here.
    "letters.LetterTemplate": Fields(not_personal=("kind", "heading", "body")),
    "reports.ReportCategory": Fields(not_personal=("category",)),
    "cases.Reminder": Fields(not_personal=("kind",)),
    # Ids and codes only, by audit_record's rule.
    "audit.AuditEvent": Fields(
        not_personal=(
            "action",
            "actor_kind",
            "actor_role",
            "object_type",
            "object_id",
            "extra",
            "request_id",
            "previous_hash",
            "hash",
        )
    ),
    # last_error is the exception's class name only (outbox.services).
    "outbox.OutboxMessage": Fields(not_personal=("kind", "last_error")),
    "retention.PurgeRun": Fields(not_personal=("counts", "failures")),
    "retention.PurgedRecord": Fields(not_personal=("model_label",)),
    # Storage names are random or made from ids (letters/000012-v1.pdf).
    "retention.PendingFileDeletion": Fields(not_personal=("name",)),
}


def declared_for(model: type[models.Model]) -> Fields | None:
    """The model's declaration, or None if it has none."""
    return PERSONAL.get(model) or NOT_ABOUT_PARENTS.get(model._meta.label)


def emptied(model: type[models.Model], marker: str) -> dict[str, str]:
    """The model's identity and contact fields, cleared: one that must be filled in (a
    name) gets `marker`, so a page still shows that someone was there; the rest empty."""
    declared = PERSONAL[model]
    return {
        name: "" if model._meta.get_field(name).blank else marker
        for name in declared.identity + declared.contact
    }
