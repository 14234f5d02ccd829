"""Run after restoring the database (or the private files) from a backup: applies every
recorded erasure again, so a restore cannot bring erased personal data back."""

from django.core.management.base import BaseCommand

from brunswick.subject_access.erasure import erasures_reapply, ledger_path


class Command(BaseCommand):
    help = (
        "Apply every recorded erasure again (the database's records and the erasure ledger). "
        "Safe to run at any time: where nothing is left to erase, nothing changes."
    )

    def handle(self, *args, **options) -> None:
        again = erasures_reapply()
        for person_id, counts in again.items():
            detail = ", ".join(f"{key} {count}" for key, count in sorted(counts.items()))
            self.stdout.write(f"Person #{person_id}: erased again ({detail})")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(again)} erasure(s) re-applied; ledger {ledger_path()}"
                if again
                else f"Nothing to erase again; ledger {ledger_path()}"
            )
        )
