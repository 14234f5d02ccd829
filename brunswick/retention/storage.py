"""Checking that rows and evidence files agree, both ways (`manage.py check_storage`).

A row pointing at a missing file means evidence was lost: it is reported, never "fixed".
A file with no row is left over (an upload that never committed, an interrupted purge, a
half-written PDF): it is reported, and deleted on request once it is old enough that no
upload or render can still be about to commit its row.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from .models import PendingFileDeletion


@dataclass(frozen=True)
class MissingFile:
    model_label: str
    object_id: int
    field: str
    name: str


@dataclass(frozen=True)
class OrphanFile:
    name: str
    pending_purge: bool  # Its row was purged and the purge has not finished deleting it.


@dataclass(frozen=True)
class StorageReport:
    files: int
    references: int
    missing: list[MissingFile]
    orphans: list[OrphanFile]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.orphans)


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every FileField of every model: each one keeps its files in default storage.
    (simple-history's copies hold names in text fields, and keep no file alive.)"""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _references() -> Iterator[tuple[str, int, str, str]]:
    for model, field in file_fields():
        rows = model._default_manager.exclude(**{field: ""}).values_list("pk", field)
        for pk, name in rows.iterator():
            yield model._meta.label_lower, pk, field, name


def stored_files(folder: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # Nothing has been uploaded yet.
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(f"{folder}/{sub}" if folder else sub)


def storage_check(*, grace: timedelta, now: datetime | None = None) -> StorageReport:
    """Files are listed before rows are read, and each finding is checked again, so an
    upload or a purge running meanwhile is not reported as a problem."""
    stored = set(stored_files())
    references = list(_references())
    named = {name for *_, name in references}
    missing = [
        MissingFile(*ref)
        for ref in references
        if ref[3] not in stored and not default_storage.exists(ref[3])
    ]
    cutoff = (now or timezone.now()) - grace
    pending = set(PendingFileDeletion.objects.values_list("name", flat=True))
    orphans = [
        OrphanFile(name, name in pending)
        for name in sorted(stored - named)
        if _older_than(name, cutoff)
    ]
    return StorageReport(len(stored), len(references), missing, orphans)


def _older_than(name: str, cutoff: datetime) -> bool:
    try:
        return default_storage.get_modified_time(name) < cutoff
    except FileNotFoundError:  # Deleted since it was listed.
        return False


def orphan_files_delete(orphans: list[OrphanFile]) -> int:
    names = [orphan.name for orphan in orphans]
    for name in names:
        default_storage.delete(name)
    PendingFileDeletion.objects.filter(name__in=names).delete()
    return len(names)
