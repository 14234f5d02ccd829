"""Turning a row into its id-only tombstone: which fields of each model hold what people
wrote or who they are, and how they are cleared.

Free text that was filled in becomes "[purged]" (so a page shows that something was
there); e-mail addresses, phone numbers and file hashes become empty; files are detached
from the row (the caller deletes them after commit). Ids, dates, statuses and codes stay,
for statistics and for the audit log. Every text field of these models is listed in
`text`, `blank` or `keep`: tests/retention/test_tombstones.py fails on a new field until
someone decides which.

simple-history's rows for the object still hold the old text. They are deleted, not
scrubbed field by field: deleting cannot miss a field added later, and after the retention
period the audit log (ids, actions, who and when) is the record that stays. The tombstone's
own save then writes one new history row, saying when and why the content went.
"""

import functools
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from cases.models import Case, Decision, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot

from .models import LegalHold, PurgedRecord, PurgeRun

PURGED = "[purged]"
CHANGE_REASON = "Purged under the retention schedule"


@dataclass(frozen=True)
class Spec:
    category: str  # The key its counts are kept under.
    made_at: str  # The field whose year the record is counted in.
    text: tuple[str, ...]  # Becomes "[purged]" if it was filled in.
    blank: tuple[str, ...] = ()  # Becomes "".
    files: tuple[str, ...] = ()  # Detached, then deleted after commit.
    keep: tuple[str, ...] = ()  # Text fields that hold no personal details.


SPECS: dict[type[models.Model], Spec] = {
    Case: Spec("cases", "opened_at", text=("title",), keep=("status",)),
    Report: Spec(
        "reports",
        "submitted_at",
        text=("group_other", "posted_by", "description", "reporter_name"),
        blank=("reporter_email", "reporter_phone"),
        # The hash is replaced, not kept: see _forget_passphrase.
        keep=("reference", "passphrase_hash", "status", "reporter_relationship", "closed_reason"),
    ),
    Message: Spec("messages", "sent_at", text=("body",), keep=("author",)),
    Screenshot: Spec(
        "screenshots",
        "uploaded_at",
        # The name of the file on the parent's phone can name people.
        text=("display_name",),
        # A hash would still show that a given image was reported.
        blank=("original_sha256", "working_sha256"),
        files=("original", "working", "thumbnail"),
        keep=("source_format", "working_content_type"),
    ),
    LadderStep: Spec(
        "ladder_steps",
        "proposed_at",
        text=(
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
        keep=("kind", "status", "ban_type"),
    ),
    Decision: Spec("decisions", "decided_on", text=("reasons",), keep=("outcome",)),
    Letter: Spec(
        "letters",
        "drafted_at",
        text=("addressee_name", "addressee_address", "summary"),
        blank=("addressee_email", "pdf_sha256"),
        files=("pdf",),
        keep=("kind", "status", "delivery", "render_error"),
    ),
    Person: Spec(
        "people",
        "created_at",
        text=("full_name", "pupils", "group_names", "postal_address"),
        blank=("email",),
    ),
    LegalHold: Spec("legal_holds", "placed_at", text=("reason", "release_reason")),
}


@dataclass(frozen=True)
class Described:
    category: str
    year: int
    files: list[str]


def describe(obj: models.Model) -> Described:
    """What purging `obj` removes, for counting: read before the row is cleared."""
    spec = SPECS[type(obj)]
    files = [getattr(obj, name).name for name in spec.files if getattr(obj, name)]
    return Described(spec.category, _year(getattr(obj, spec.made_at)), files)


def _year(value: date | datetime) -> int:
    return timezone.localtime(value).year if isinstance(value, datetime) else value.year


def tombstone(obj: models.Model, *, run: PurgeRun, now: datetime) -> None:
    """Clear `obj`'s content with a model save (so simple-history records it), delete its
    earlier history rows, and mark it purged. The caller holds the row's lock and its
    transaction, queues the files for deletion in it, and deletes them after commit."""
    spec = SPECS[type(obj)]
    for name in spec.text:
        if getattr(obj, name):
            setattr(obj, name, PURGED)
    for name in (*spec.blank, *spec.files):
        setattr(obj, name, "")
    changed = [*spec.text, *spec.blank, *spec.files]
    if isinstance(obj, Report):
        _forget_passphrase(obj)
        changed.append("passphrase_hash")
    type(obj).history.filter(id=obj.pk).delete()
    obj._change_reason = CHANGE_REASON
    # Only the cleared fields: auto_now dates (updated_at, recorded_at) keep their values.
    obj.save(update_fields=changed)
    PurgedRecord.objects.create(
        model_label=obj._meta.label_lower, object_id=obj.pk, purged_at=now, run=run
    )


def _forget_passphrase(report: Report) -> None:
    # A hash of a secret nobody keeps: the follow-up page then refuses every passphrase,
    # after the same full hash as for any other report, so a purged reference cannot be
    # told apart by timing.
    report.passphrase_hash = _unknowable_hash()


@functools.cache
def _unknowable_hash() -> str:
    return make_password(secrets.token_urlsafe(32))
