"""A parent's report of a concern about a class/year WhatsApp group, and its evidence."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from brunswick.school.models import ClassGroup


class Category(models.TextChoices):
    """What happened, in the policy's own words (its guidelines, then its list of
    online activity the school considers inappropriate). Codes are stable; labels are
    the policy's wording."""

    # "Parents should adhere to the following guidelines when using class WhatsApp groups"
    GRIEVANCES = (
        "grievances",
        "The group should never be used as a platform to air views/grievances regarding "
        "a teacher, child or parent in the class or school",
    )
    POLITICAL = (
        "political",
        "The group is not a political platform for airing opinions on current affairs",
    )
    PRIVATE_CONVERSATIONS = (
        "private_conversations",
        "The group should not be used for private conversations with anyone else using the group",
    )
    RESPECT = (
        "respect",
        "The group should be used keeping in mind mutual respect and cultural sensitivity "
        "between all its members",
    )
    # "the school considers the following online activity inappropriate"
    ABUSIVE_COMMENTS = (
        "abusive_comments",
        "Abusive or personal comments about staff, pupils or other parents or any member "
        "of the school community",
    )
    ANGER = "anger", "Displays of anger including swearing, or using offensive language"
    DISREPUTE = "disrepute", "Bringing the school into disrepute"
    DEFAMATORY = "defamatory", "Posting aggressive, defamatory or libellous comments"
    ABUSIVE_EMAILS = (
        "abusive_emails",
        "Emails circulated or sent directly with abusive or personal comments about staff, "
        "pupils or any member of the school community",
    )
    CHALLENGING_POLICIES = (
        "challenging_policies",
        "Using social media to publicly challenge school policies or discuss issues about "
        "individual children",
    )
    THREATENING = (
        "threatening",
        "Threatening behaviour, such as verbally intimidating staff, or using bad language",
    )

    @property
    def as_seen(self) -> str:
        """What a parent saw, in their words: the report form's option. The policy's words
        (the label) are its hint there, and what staff read everywhere else."""
        return AS_SEEN[self]

    @classmethod
    def guidelines(cls) -> list["Category"]:
        return [cls.GRIEVANCES, cls.POLITICAL, cls.PRIVATE_CONVERSATIONS, cls.RESPECT]

    @classmethod
    def inappropriate_activity(cls) -> list["Category"]:
        return [c for c in cls if c not in cls.guidelines()]


AS_SEEN = {
    Category.GRIEVANCES: "Complaints about a teacher, a child or a parent",
    Category.POLITICAL: "Political opinions or arguments about current affairs",
    Category.PRIVATE_CONVERSATIONS: "A private conversation carried on in the group",
    Category.RESPECT: "Disrespect, or posts insensitive to someone's culture",
    Category.ABUSIVE_COMMENTS: "Abusive or personal comments about someone at the school",
    Category.ANGER: "Anger, swearing or offensive language",
    Category.DISREPUTE: "Something that brings the school into disrepute",
    Category.DEFAMATORY: "Aggressive comments, or untrue claims that harm someone's name",
    Category.ABUSIVE_EMAILS: "Emails with abusive or personal comments about someone at the school",
    Category.CHALLENGING_POLICIES: "Public attacks on school policies, or talk about a child",
    Category.THREATENING: "Threats, intimidating staff, or bad language",
}


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    OTHER = "other", "Other"


class ClosedReason(models.TextChoices):
    NOT_A_BREACH = "not_a_breach", "Not a breach of the code of conduct"
    NOT_ENOUGH_INFORMATION = "not_enough_information", "Not enough information"
    DUPLICATE = "duplicate", "Duplicate of another report"
    OUTSIDE_SCOPE = "outside_scope", "Outside the policy's scope"


class ReportQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-submitted_at")


class Report(models.Model):
    class Status(models.TextChoices):
        # Labels are what the parent reads on the follow-up page.
        RECEIVED = "received", "Received"
        BEING_LOOKED_AT = "being_looked_at", "Being looked at"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=12, unique=True)
    # A slow salted hash (Django's password hashers); the passphrase itself is never stored.
    passphrase_hash = models.CharField(max_length=256)
    # From the form, so a double-click or a replayed POST makes one report.
    submission_key = models.UUIDField(unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)

    group = models.ForeignKey(ClassGroup, null=True, blank=True, on_delete=models.PROTECT)
    group_other = models.CharField("group (not listed)", max_length=200, blank=True)
    occurred_on = models.DateField()
    occurred_at_time = models.TimeField(null=True, blank=True)
    posted_by = models.CharField(max_length=200, blank=True)
    description = models.TextField()

    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_relationship = models.CharField(
        max_length=10, choices=Relationship.choices, blank=True
    )
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=40, blank=True)

    # Triage: a report joins one case, or is closed with a reason.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    closed_reason = models.CharField(max_length=30, choices=ClosedReason.choices, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["passphrase_hash"])

    class Meta:
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | ~models.Q(group_other=""),
                name="report_has_a_group",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("reports:follow_up_status")

    @property
    def is_awaiting_triage(self) -> bool:
        """Received, and neither in a case nor closed: SLT have still to decide. A report is
        triaged once (reports.services.report_check_awaiting_triage)."""
        return self.status == self.Status.RECEIVED and self.case_id is None

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email or self.reporter_phone)

    @property
    def group_display(self) -> str:
        return self.group.name if self.group_id else f"Other: {self.group_other}"


class ReportCategory(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=30, choices=Category.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="report_category_once"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def as_seen(self) -> str:
        """What the parent chose, in the words the report form gave them."""
        return Category(self.category).as_seen


class Message(models.Model):
    """A message on a report's follow-up page: the reporter adding information, or the school."""

    class Author(models.TextChoices):
        REPORTER = "reporter", "You"
        SCHOOL = "school", "The school"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # The reporter's form key, as Report.submission_key: the same form sent twice (a
    # double-click, a replay) adds one message. None for the school's messages.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["report", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_author_display()} on {self.report}"


def _private_name(folder: str, extension: str) -> str:
    # Random names only: nothing a parent typed ever reaches the file system.
    return f"{folder}/{uuid.uuid4().hex}{extension}"


class ScreenshotQuerySet(models.QuerySet):
    def staged_with(self, token: uuid.UUID):
        return self.filter(report__isnull=True, staging_token=token).order_by("uploaded_at", "id")


class Screenshot(models.Model):
    """One screenshot: the sealed original (never served) and a clean working copy."""

    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="screenshots"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="screenshots"
    )
    # Set while the screenshot waits for its form to be submitted successfully.
    staging_token = models.UUIDField(null=True, blank=True, db_index=True)
    display_name = models.CharField(max_length=100)
    source_format = models.CharField(max_length=10)
    original = models.FileField(max_length=200)
    original_sha256 = models.CharField(max_length=64)
    working = models.FileField(max_length=200)
    working_sha256 = models.CharField(max_length=64)
    working_content_type = models.CharField(max_length=20)
    thumbnail = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScreenshotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(staging_token__isnull=False),
                name="screenshot_is_attached_or_staged",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name
