"""`manage.py check_storage [--delete-orphan-files]`: do rows and evidence files agree?"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from brunswick.retention.storage import orphan_files_delete, storage_check


class Command(BaseCommand):
    help = (
        "Report rows pointing at a missing file, and files under the private media root with "
        "no row. Exits non-zero if any is found (and not deleted)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphan-files",
            action="store_true",
            help="Delete the files that no row points at. Rows with missing files are "
            "only reported: that evidence is lost, and someone must look at why.",
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="Leave out files younger than this: an upload or a letter being made "
            "writes its file just before its row (default 60).",
        )

    def handle(self, *args, delete_orphan_files: bool, grace_minutes: int, **options):
        report = storage_check(grace=timedelta(minutes=grace_minutes))
        self.stdout.write(f"Checked {report.files} files and {report.references} file fields.")
        for missing in report.missing:
            self.stdout.write(
                f"Row pointing at a missing file: {missing.model_label} #{missing.object_id} "
                f"{missing.field} -> {missing.name}"
            )
        for orphan in report.orphans:
            pending = " (its row was purged; the next purge deletes it)" * orphan.pending_purge
            self.stdout.write(f"File with no row: {orphan.name}{pending}")
        orphans_left = len(report.orphans)
        if delete_orphan_files and report.orphans:
            deleted = orphan_files_delete(report.orphans)
            self.stdout.write(f"Deleted {deleted} files with no row.")
            orphans_left = 0
        if report.missing or orphans_left:
            raise CommandError(
                f"{len(report.missing)} rows pointing at a missing file, "
                f"{orphans_left} files with no row."
            )
        self.stdout.write("No problems found.")
