"""How long the portal keeps personal details, legal holds that stop the clock, and the
record of what each nightly purge removed.

Purging never deletes a row: it clears what people wrote and who they are, removes the
files, and leaves an id-only tombstone (see tombstones.py), so ids, dates, statuses and
category codes stay for statistics and the audit log still points at something.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL

IRMS = "IRMS Information Management Toolkit for Schools (2019)"
# A period made shorter takes effect this long after the change, and the Head Teacher is
# told at once: no one can make tonight's purge take what the school meant to keep.
SHORTENING_NOTICE = timedelta(days=30)
PERIODS = ("closed_case_months", "closed_report_months", "unlinked_person_months")


def _months(label: str, default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1)], help_text=help_text
    )


class RetentionSchedule(models.Model):
    """One row: each retention period in whole months. The defaults and their sources are in
    each field's help text (and in the retention section of the README)."""

    closed_case_months = _months(
        "closed cases: months kept after closing",
        72,
        "Default 72 months (6 years) after the case is closed. Covers the case and its reports, "
        "screenshots, messages, steps, decision and letters, and people linked only to closed "
        f"cases. Source: {IRMS}, section 1 (Governing body), records relating to complaints: "
        "date of resolution of the complaint + a minimum of 6 years, then review for further "
        "retention in case of contentious disputes; the nearest series to a concern about a "
        "parent's conduct decided by the Head Teacher. Six years is also the Limitation Act "
        "1980's period for most claims. The review is the Head Teacher's legal hold.",
    )
    closed_report_months = _months(
        "reports closed at triage: months kept after closing",
        12,
        "Default 12 months after a report is closed at triage without a case. The Toolkit has "
        "no series for a concern closed without action, and asks a school to record why it "
        "chooses a period of its own: a year is enough to spot a pattern of repeated reports "
        "and to answer a reporter's follow-up, and no longer is needed (UK GDPR art. 5(1)(e), "
        "storage limitation).",
    )
    unlinked_person_months = _months(
        "people never linked to a case: months kept after being added",
        12,
        "Default 12 months after someone is added to the register without being linked to any "
        "case. No Toolkit series; the school's choice, as for reports closed at triage. People "
        "linked to cases go when the last of their cases is purged.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "retention schedule"
        verbose_name_plural = "retention schedule"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="retention_schedule_single_row"),
            # Zero would purge everything the night it closed.
            models.CheckConstraint(
                condition=models.Q(closed_case_months__gte=1)
                & models.Q(closed_report_months__gte=1)
                & models.Q(unlinked_person_months__gte=1),
                name="retention_periods_at_least_a_month",
            ),
        ]

    def __str__(self) -> str:
        return "Retention schedule"

    @classmethod
    def current(cls) -> "RetentionSchedule":
        schedule, _ = cls.objects.get_or_create(id=1)
        return schedule

    @classmethod
    def in_force(cls, now: datetime) -> "RetentionSchedule":
        """The schedule the purge uses: each period at the longest it has been in the last
        SHORTENING_NOTICE (a longer period applies at once, a shorter one a month later).
        Read from the schedule's history; not saved."""
        current = cls.current()
        since = now - SHORTENING_NOTICE
        versions = cls.history.filter(id=current.id)
        recent = list(versions.filter(history_date__gte=since).values(*PERIODS))
        before = versions.filter(history_date__lt=since).order_by("-history_date")
        recent += list(before.values(*PERIODS)[:1])
        in_force = cls(id=current.id)
        for period in PERIODS:
            values = [getattr(current, period), *(version[period] for version in recent)]
            setattr(in_force, period, max(values))
        return in_force


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    """Stops the purge for a case or a person while a claim, complaint or inquiry may need
    the records. A held case holds its reports, letters and people; a held person holds
    every case they are linked to. Placed and released by the Head Teacher only."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(help_text="Why the records must be kept, e.g. a claim or inquiry.")
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, person__isnull=True)
                | models.Q(case__isnull=True, person__isnull=False),
                name="legal_hold_on_a_case_or_a_person",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="legal_hold_has_a_reason"),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True) | ~models.Q(release_reason=""),
                name="legal_hold_release_has_a_reason",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(released_at__isnull=True, case__isnull=False),
                name="one_active_legal_hold_per_case",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(released_at__isnull=True, person__isnull=False),
                name="one_active_legal_hold_per_person",
            ),
        ]

    def __str__(self) -> str:
        on = f"case #{self.case_id}" if self.case_id else f"person #{self.person_id}"
        return f"Legal hold on {on}{'' if self.is_active else ' (released)'}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class PurgeRun(models.Model):
    """One run of the purge and what it removed, counted per category and per year the
    records were made. Counts are saved with each record purged, so a run that was
    interrupted still says exactly what it did."""

    run_on = models.DateField(help_text="The day the schedule was applied for.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    interrupted = models.BooleanField(default=False)
    # {"reports": {"2019": 4, "2020": 1}, "screenshots": {...}, "files": {...}}: numbers only.
    counts = models.JSONField(default=dict, blank=True)
    # "cases.case:12" for each record that failed; the next run tries it again.
    failures = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"Purge run {self.run_on:%Y-%m-%d} (#{self.id})"


class PurgedRecord(models.Model):
    """The marker that a row is now an id-only tombstone: which row, and when."""

    model_label = models.CharField(max_length=50)  # e.g. "reports.report"
    object_id = models.BigIntegerField()
    purged_at = models.DateTimeField()
    run = models.ForeignKey(PurgeRun, on_delete=models.PROTECT, related_name="records")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_id"], name="purged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.model_label} #{self.object_id} purged {self.purged_at:%Y-%m-%d}"


class PendingFileDeletion(models.Model):
    """A file whose row a purge has already cleared, still to be deleted. Written in the
    transaction that clears the row and removed once the file is gone, so an interrupted
    purge never leaves a row pointing at a missing file, and the next run knows exactly
    which files are left over."""

    name = models.CharField(max_length=200, unique=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
