"""`manage.py purge_expired [--dry-run]`: what the nightly task does, by hand."""

from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brunswick.retention.purge import PurgeAlreadyRunning, PurgeResult, purge_expired


class Command(BaseCommand):
    help = (
        "Purge the personal details of records past the retention schedule and not on legal "
        "hold. Prints ids and counts, never content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be purged; change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        try:
            result = purge_expired(today=timezone.localdate(), dry_run=dry_run)
        except PurgeAlreadyRunning as error:
            raise CommandError("Another purge is running; try again once it ends.") from error
        for line in result_lines(result):
            self.stdout.write(line)
        if result.failed:
            raise CommandError(f"{len(result.failed)} could not be purged: see the log.")


def result_lines(result: PurgeResult) -> Iterator[str]:
    if result.dry_run:
        yield f"Dry run for {result.today:%Y-%m-%d}: nothing was changed. Would purge:"
    else:
        yield f"Purge run #{result.run_id} for {result.today:%Y-%m-%d}. Purged:"
    yield _ids("Closed cases", result.case_ids)
    yield _ids("Reports closed at triage", result.report_ids)
    yield _ids("People", result.person_ids)
    yield "Records, by category and the year they were made:"
    totals = result.counts.totals()
    if not totals:
        yield "  none"
    for category, total in totals.items():
        years = result.counts.data[category]
        per_year = ", ".join(f"{year}: {years[year]}" for year in sorted(years))
        yield f"  {category}: {total} ({per_year})"
    if result.failed:
        yield f"Could not purge (tried again next run): {', '.join(result.failed)}"


def _ids(label: str, ids: list[int]) -> str:
    return f"  {label}: {len(ids)}" + (f" (ids {', '.join(map(str, ids))})" if ids else "")
