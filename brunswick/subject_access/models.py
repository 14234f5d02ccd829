"""Subject access requests (UK GDPR Article 15) and erasures (Article 17) about a parent on
the register, and the reminders that keep a request's deadline in view.

Building the pack is in pack.py, erasing in erasure.py; the due date rule in deadlines.py.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from brunswick.retention.personal_data import Fields, declare

User = settings.AUTH_USER_MODEL


class SubjectAccessRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=SubjectAccessRequest.Status.OPEN)

    def due_by(self, day: date):
        """Open requests whose deadline is on or before `day` (overdue ones included)."""
        return self.open().filter(due_on__lte=day)


class SubjectAccessRequest(models.Model):
    """A person's request for a copy of what the portal holds about them."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_on = models.DateField()
    # One calendar month after received_on (deadlines.one_calendar_month_after).
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(
        blank=True, help_text="How the request arrived and how we checked who is asking."
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = SubjectAccessRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="subject_access_due_after_received",
            ),
            # Completed exactly when it has a completion time.
            models.CheckConstraint(
                condition=models.Q(status="completed", completed_at__isnull=False)
                | models.Q(status="open", completed_at__isnull=True),
                name="subject_access_completed_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} (received {self.received_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("cases:person", args=[self.person_id])

    @property
    def code(self) -> str:
        return f"SAR-{self.id:05d}"

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class ErasureRecord(models.Model):
    """That a person's personal data was erased, by whose decision and why, and how much:
    kept so the erasure can be applied again after a restore from backup
    (`manage.py reapply_erasures`)."""

    # An id, not a foreign key: this record must outlive anything done to the register.
    person_id = models.BigIntegerField(unique=True)
    reason = models.TextField(help_text="Why the data is erased. Do not write their name here.")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField()
    # What was erased the first time, as counts per kind of record; never the values.
    erased = models.JSONField(default=dict, blank=True)
    # The last time re-applying it found something to erase again (after a restore).
    reapplied_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="erasure_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Erasure of person #{self.person_id} ({self.applied_at:%d %b %Y})"


class SubjectAccessReminder(models.Model):
    """A deadline reminder sent to the Head Teacher; at most one per request per day."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "sent_on"], name="subject_access_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.request_id} ({self.sent_on})"


def _purged_with_person(person) -> list[models.Model]:
    """A person's requests, and the record that their data was erased (its person id stays
    in the audit log's events, for reapply_erasures), go when they do."""
    return [
        *person.subject_access_requests.order_by("id"),
        *ErasureRecord.objects.filter(person_id=person.id),
    ]


# Declared to the retention app, whose one declaration the purge, erasure and the pack read.
declare(
    SubjectAccessRequest,
    Fields(written=("notes",), not_personal=("status",)),
    counted_as=("subject_access_requests", "received_on"),
    purged_with_person=_purged_with_person,
)
declare(
    ErasureRecord,
    Fields(written=("reason",), not_personal=("erased",)),
    counted_as=("erasures", "applied_at"),
)
