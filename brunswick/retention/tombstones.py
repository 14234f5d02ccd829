"""Turning a row into its id-only tombstone: how each kind of field that personal_data.py
declares is cleared.

Free text and identity fields that were filled in become "[purged]" (so a page shows that
something was there); e-mail addresses, phone numbers and file hashes become empty; files
are detached from the row (the caller deletes them after commit). Ids, dates, statuses and
codes stay, for statistics and for the audit log. Which fields are which is not written
here: it is personal_data.PERSONAL, shared with erasure and the subject access pack, and
tests/retention/test_personal_data.py checks that every field of every model is in it.

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
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from reports.models import Report

from .models import PurgedRecord, PurgeRun
from .personal_data import COUNTED_AS, PERSONAL, Fields

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

    @classmethod
    def of(cls, category: str, made_at: str, declared: Fields) -> "Spec":
        return cls(
            category,
            made_at,
            text=declared.written + declared.identity,
            blank=declared.contact + declared.fingerprints,
            files=declared.files,
            keep=declared.not_personal,
        )


@functools.cache
def specs() -> dict[type[models.Model], Spec]:
    """Built on first use, once every app has declared its models (personal_data.declare)."""
    missing = [model._meta.label for model in PERSONAL if model not in COUNTED_AS]
    if missing:
        # A model declared personal that the purge would not know how to count or clear.
        raise ImproperlyConfigured(f"Add {', '.join(missing)} to personal_data.COUNTED_AS")
    return {model: Spec.of(*COUNTED_AS[model], declared) for model, declared in PERSONAL.items()}


@dataclass(frozen=True)
class Described:
    category: str
    year: int
    files: list[str]


def describe(obj: models.Model) -> Described:
    """What purging `obj` removes, for counting: read before the row is cleared."""
    spec = specs()[type(obj)]
    files = [getattr(obj, name).name for name in spec.files if getattr(obj, name)]
    return Described(spec.category, _year(getattr(obj, spec.made_at)), files)


def _year(value: date | datetime) -> int:
    return timezone.localtime(value).year if isinstance(value, datetime) else value.year


def tombstone(obj: models.Model, *, run: PurgeRun, now: datetime) -> None:
    """Clear `obj`'s content with a model save (so simple-history records it), delete its
    earlier history rows, and mark it purged. The caller holds the row's lock and its
    transaction, queues the files for deletion in it, and deletes them after commit."""
    spec = specs()[type(obj)]
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
