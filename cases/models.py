"""Cases, the people they are about, the escalation ladder, and the Head Teacher's decision.

The rules that move a case (order, skipping, approval, representations before a ban) are
not here: they live in cases/ladder.py, the only code that changes a step or a decision.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class Person(models.Model):
    """A parent or carer a case is about (never the reporter: they stay in the report)."""

    full_name = models.CharField(max_length=200)
    # Limits for the form (a GOV.UK character count); the column itself is unbounded.
    pupils = models.TextField(
        blank=True,
        max_length=2000,
        help_text="Their child or children and class, one per line, e.g. Sam Patel, Year 3.",
    )
    group_names = models.TextField(
        "names in groups",
        blank=True,
        max_length=2000,
        help_text="How they appear in WhatsApp groups (names or phone numbers), one per line.",
    )
    postal_address = models.TextField(blank=True, max_length=500)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["full_name"])]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("cases:person", args=[self.id])


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Case.Status.CLOSED)

    def led_by(self, user):
        return self.filter(lead=user)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200, help_text="A short summary for staff.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="cases_led")
    people = models.ManyToManyField(Person, related_name="cases", blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: each change checks and bumps it, so two staff cannot both move
    # the case from the same starting point.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["status", "opened_at"]),
            models.Index(fields=["lead", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.id])

    @property
    def code(self) -> str:
        return f"CASE-{self.id:05d}"


class LadderStep(models.Model):
    """One response on the policy's escalation ladder, or a moderator's removal."""

    class Kind(models.TextChoices):
        # The policy's responses, in ladder order (see RUNGS).
        INFORMATION_GATHERING = (
            "information_gathering",
            "Gather information from those involved and speak to the parent",
        )
        MEETING = "meeting", "Meet the parent with a senior member of staff or the Head Teacher"
        WARNING_LETTER = "warning_letter", "Send a warning letter to the parent"
        AUTHORITIES = "authorities", "Contact the appropriate authorities (criminal behaviour)"
        LEGAL_ADVICE = (
            "legal_advice",
            "Seek advice from the legal team (conduct that may be libellous or slanderous)",
        )
        SITE_BAN = "site_ban", "Ban the parent from the school site"
        # Not a rung: the group's moderator may remove a parent at any point.
        MODERATOR_REMOVAL = "moderator_removal", "Record that a group moderator removed the parent"

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting the Head Teacher's approval"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        NOT_APPROVED = "not_approved", "Not approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class BanType(models.TextChoices):
        TEMPORARY = "temporary", "Temporary"
        FULL = "full", "Full"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    rationale = models.TextField()
    skip_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Meetings.
    meeting_at = models.DateTimeField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    # Site bans.
    ban_type = models.CharField(max_length=10, choices=BanType.choices, blank=True)
    ban_starts_on = models.DateField(null=True, blank=True)
    ban_ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    representations_invited_on = models.DateField(null=True, blank=True)
    representations_deadline = models.DateField(null=True, blank=True)
    representations = models.TextField(blank=True, help_text="What the parent said.")
    # True: the parent made representations; False: they did not respond by the deadline;
    # None: not recorded yet. cases.ladder.can_approve reads it.
    representations_received = models.BooleanField(null=True, blank=True)
    representations_recorded_at = models.DateTimeField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    urgent_reasons = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["case", "proposed_at"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["kind", "status", "review_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="ladder_step_has_a_rationale"
            ),
            models.CheckConstraint(
                condition=models.Q(ban_ends_on__isnull=True)
                | models.Q(ban_starts_on__isnull=True)
                | models.Q(ban_ends_on__gte=models.F("ban_starts_on")),
                name="ladder_step_ban_ends_after_it_starts",
            ),
            # One open step of each kind per case (cases.ladder.open_step_refusal says so
            # in words); the index makes a race between two proposals safe too.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status__in=["awaiting_approval", "in_progress"]),
                name="one_open_step_of_each_kind_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.AWAITING_APPROVAL, self.Status.IN_PROGRESS)


class CaseReopening(models.Model):
    """The Head Teacher reopened a closed case: when, by whom and why. A case may be closed
    and reopened several times; every reopening is kept, with the closing it undid."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField()
    reopened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(auto_now_add=True)
    # The case's closed_at before it was cleared, so each closing stays on the timeline.
    closed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["case", "reopened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="case_reopening_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Case #{self.case_id} reopened {self.reopened_at:%d %b %Y}"


class Decision(models.Model):
    """The Head Teacher's final decision on a case. Changing it keeps the old one in history."""

    class Outcome(models.TextChoices):
        NO_BREACH = "no_breach", "No breach of the code of conduct"
        ADVICE_GIVEN = "advice_given", "Advice given"
        WARNING_ISSUED = "warning_issued", "Warning issued"
        MEETING_HELD = "meeting_held", "Meeting held"
        AUTHORITIES_INFORMED = "authorities_informed", "Authorities informed"
        LEGAL_ADVICE_SOUGHT = "legal_advice_sought", "Legal advice sought"
        SITE_BAN = "site_ban", "Site ban"
        GROUP_REMOVAL = "group_removal", "Removed from the group"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reasons = models.TextField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ban_starts_on = models.DateField(null=True, blank=True)
    ban_ends_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reasons=""), name="decision_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_on:%d %b %Y})"


class Reminder(models.Model):
    """A reminder sent about something overdue; kept so the same one is not sent again
    within a week. The e-mail itself goes through the outbox."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT_OVERDUE = "acknowledgement_overdue", "Report not acknowledged in time"
        STEP_OVERDUE = "step_overdue", "Ladder step past its due date"
        BAN_REVIEW_DUE = "ban_review_due", "Site ban review due"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The report's id for acknowledgements, otherwise the step's.
    object_id = models.BigIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "sent_on"], name="reminder_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} ({self.sent_on})"
