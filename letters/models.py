"""Letters: school-approved templates, and each letter made from one, kept exactly as sent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class LetterKind(models.TextChoices):
    WARNING_LETTER = "warning_letter", "Warning letter"
    MEETING_INVITATION = "meeting_invitation", "Invitation to a meeting"
    REPRESENTATIONS_INVITATION = (
        "representations_invitation",
        "Invitation to make representations before a ban",
    )
    SITE_BAN_TEMPORARY = "site_ban_temporary", "Temporary site ban"
    SITE_BAN_FULL = "site_ban_full", "Site ban"
    BAN_REVIEW_OUTCOME = "ban_review_outcome", "Outcome of a ban review"
    CASE_OUTCOME = "case_outcome", "Outcome of the case (to the parent)"
    REPORTER_NOTE = "reporter_note", "Note to the person who reported"


class LetterTemplate(models.Model):
    """The wording of one kind of letter, written with placeholders (see letters.placeholders)."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    heading = models.CharField(
        max_length=200, help_text="The letter's title line, e.g. Warning letter."
    )
    body = models.TextField(
        help_text="Paragraphs separated by a blank line. Placeholders look like {{ parent_name }}; "
        "the list of placeholders is under the box."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        """Refuse wording that cannot be rendered: it is checked in the letters' sandbox and
        rendered on example details, and each problem comes back under its field, with its
        line."""
        from .placeholders import template_problems  # It needs LetterKind: avoid a cycle.

        if problems := template_problems(self.kind, self.heading, self.body):
            raise ValidationError(problems)


class LetterQuerySet(models.QuerySet):
    def print_queue(self):
        """Approved and rendered, to be posted, not yet posted: what the office works from."""
        return self.filter(
            status__in=[Letter.Status.READY, Letter.Status.PRINTED], delivery=Letter.Delivery.POST
        )


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for the Head Teacher's approval"
        RENDERING = "rendering", "Approved: the PDF is being made"
        RENDER_FAILED = "render_failed", "The PDF could not be made"
        READY = "ready", "Ready to print"
        PRINTED = "printed", "Printed"
        POSTED = "posted", "Posted"
        EMAILED = "emailed", "E-mailed"
        SUPERSEDED = "superseded", "Replaced by a corrected version"

    class Delivery(models.TextChoices):
        POST = "post", "By post"
        EMAIL = "email", "By e-mail"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    step = models.ForeignKey(
        "cases.LadderStep", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    # For a note to the person who reported (never to the reported parent).
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    # The template exactly as it was when this letter was made.
    template_version = models.ForeignKey(
        LetterTemplate.history.model, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.POST)
    addressee_name = models.CharField(max_length=200)
    addressee_address = models.TextField(blank=True)
    addressee_email = models.EmailField(blank=True)
    summary = models.TextField(help_text="Written by staff: what happened, in plain words.")
    # Every fact the letter states, as staff confirmed it on the draft (prefilled from the
    # reports it is about, the step and the person); see letters.content.FACTS.
    reports = models.ManyToManyField("reports.Report", related_name="letters_about", blank=True)
    incident_on = models.DateField(null=True, blank=True)
    incident_group = models.CharField(max_length=200, blank=True)
    incident_posted = models.TextField(blank=True, help_text="What was posted, in staff's words.")
    pupil_class = models.TextField(blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    meeting_time = models.CharField(max_length=5, blank=True, help_text="For example, 09:15.")
    attendees = models.TextField(blank=True)
    ban_starts_on = models.DateField(null=True, blank=True)
    ban_ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    representations_deadline = models.DateField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    letter_date = models.DateField(
        null=True, blank=True, help_text="The date printed on the letter."
    )
    pdf = models.FileField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_error = models.CharField(max_length=200, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = LetterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["status", "approved_at"]),
            models.Index(fields=["case", "drafted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(report__isnull=False),
                name="letter_has_an_addressee",
            ),
            # Once made, a PDF's hash is recorded with it.
            models.CheckConstraint(
                condition=models.Q(pdf="") | ~models.Q(pdf_sha256=""),
                name="letter_pdf_has_its_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.addressee_name} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("letters:detail", args=[self.id])

    @property
    def code(self) -> str:
        return f"LETTER-{self.id:05d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.AWAITING_APPROVAL)
