from django.core.management.base import BaseCommand, CommandError

from brunswick.audit.chain import verify_chain


def parse_head(text: str) -> tuple[int, str]:
    event_id, _, hash_ = text.strip().partition(" ")
    if not (event_id.isdigit() and len(hash_) == 64):
        raise CommandError("A head looks like '1234 <64 hex characters>', as audit_head prints it")
    return int(event_id), hash_


class Command(BaseCommand):
    help = "Check the audit log's hash chain; optionally against an exported head."

    def add_arguments(self, parser):
        parser.add_argument("--head", help="the output of audit_head, kept somewhere write-once")
        parser.add_argument("--head-file", help="a file holding that output")

    def handle(self, *args, head=None, head_file=None, **options):
        if head_file:
            with open(head_file) as handle:
                head = handle.read()
        report = verify_chain(head=parse_head(head) if head else None)
        if not report.intact:
            raise CommandError(
                f"audit chain broken after {report.events} good events: {report.problem}"
            )
        self.stdout.write(f"audit chain intact: {report.events} events")
