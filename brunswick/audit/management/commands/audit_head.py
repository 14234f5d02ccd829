from django.core.management.base import BaseCommand, CommandError

from brunswick.audit.chain import chain_head


class Command(BaseCommand):
    help = "Print the newest audit event's id and hash, to keep somewhere write-once."

    def handle(self, *args, **options):
        head = chain_head()
        if head is None:
            raise CommandError("the audit log is empty")
        self.stdout.write(f"{head[0]} {head[1]}")
