"""Deleting the files of purged rows, in an order that survives being interrupted.

The row is cleared first, and in the same transaction its files are written to
PendingFileDeletion; after commit the files are deleted, then forgotten. Stopped anywhere:
- before the commit, nothing has changed, and the row still points at its files;
- after it, the row points at nothing, and the files left over are listed, so the next
  purge (which starts with `pending_files_delete()`) or `check_storage
  --delete-orphan-files` removes them. Deleting a file that is already gone does nothing.
So a row never points at a missing file; a listed file with no row is the only leftover.
"""

from collections.abc import Iterable

from django.core.files.storage import default_storage

from .models import PendingFileDeletion

BATCH = 500


def pending_files_queue(names: Iterable[str]) -> None:
    """Call inside the transaction that clears the rows pointing at these files."""
    PendingFileDeletion.objects.bulk_create(
        [PendingFileDeletion(name=name) for name in names], ignore_conflicts=True
    )


def pending_files_delete(names: Iterable[str] | None = None) -> int:
    """Delete these queued files (or every queued file), then forget them. Call after the
    transaction that queued them has committed."""
    if names is not None:
        return _delete(list(names))
    deleted = 0
    while batch := list(PendingFileDeletion.objects.values_list("name", flat=True)[:BATCH]):
        deleted += _delete(batch)
    return deleted


def _delete(names: list[str]) -> int:
    for name in names:
        default_storage.delete(name)  # A missing file is not an error.
    PendingFileDeletion.objects.filter(name__in=names).delete()
    return len(names)
