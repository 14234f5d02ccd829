"""The transactional outbox: a job is a row committed with the change that caused it.

Publishing to Celery happens after commit and may fail (Redis down); the row stays
pending and the relay publishes it again later, so no notification is ever lost.
"""

from django.db import models


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def failed(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=False)


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        NEW_REPORT_TO_STAFF = "new_report_to_staff", "New report: tell SLT and the Head Teacher"
        ACKNOWLEDGE_REPORTER = "acknowledge_reporter", "Acknowledge a report to its reporter"
        REMINDER = "reminder", "Remind staff of something overdue"
        RENDER_LETTER = "render_letter", "Make an approved letter's PDF"
        EMAIL_LETTER = "email_letter", "E-mail a letter to its addressee"
        ACCESS_CHANGED = "access_changed", "Tell the Head Teacher that staff access changed"
        RETENTION_CHANGED = (
            "retention_changed",
            "Tell the Head Teacher the retention schedule changed",
        )

    kind = models.CharField(max_length=50, choices=Kind.choices)
    # The id of the object the message is about; the composer loads it. No content here.
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Given up after too many attempts (e.g. the mail server kept refusing): shown in the
    # admin, to be retried by hand. Never silently dropped.
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        # Not the object's id: the admin lists these, and ids of reports are not for it.
        return f"{self.get_kind_display()} (job {self.id})"
