"""The school itself: its settings, its class/year WhatsApp groups, and its calendar."""

from datetime import date

from django.db import models
from simple_history.models import HistoricalRecords


class SchoolSettings(models.Model):
    """One row: what the school tells parents and how the portal behaves for it."""

    name = models.CharField(max_length=200, default="Brunswick Park Primary School")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(default="office@brunswickpark.southwark.sch.uk")
    # Parents read: "... speak to the school's Designated Safeguarding Lead, <name>. To
    # reach them, <how>." (reports/includes/safeguarding.html)
    dsl_name = models.CharField(
        "Designated Safeguarding Lead",
        max_length=200,
        blank=True,
        help_text="Their name, for example Ms A Patel. Leave blank to say only their role.",
    )
    dsl_contact = models.CharField(
        "How to reach the Designated Safeguarding Lead",
        max_length=300,
        default="phone the school office and ask for them",
        help_text='Parents read "To reach them, ..." followed by this.',
    )
    allow_anonymous_reports = models.BooleanField(
        default=False,
        help_text="Let parents report without giving their name or contact details.",
    )
    acknowledgement_target_school_days = models.PositiveSmallIntegerField(default=2)
    case_close_target_school_days = models.PositiveSmallIntegerField(
        default=20,
        help_text="School days from opening a case to closing it that the school aims for "
        "(the dashboard and the governors' report measure against it).",
    )
    signatory_name = models.CharField(max_length=200, blank=True, help_text="Who signs letters.")
    signatory_role = models.CharField(max_length=200, default="Head Teacher")
    letters_may_be_emailed = models.BooleanField(
        default=False,
        help_text="Let staff e-mail a letter (as a PDF) to a parent who has an e-mail address, "
        "instead of posting it.",
    )
    slt_may_send_warning_letters = models.BooleanField(
        "SLT may send warning letters",
        default=False,
        help_text="If not, a warning letter waits for the Head Teacher's approval like the "
        "authorities, legal advice and site ban steps.",
    )
    earliest_report_date = models.DateField(
        "Earliest date a report can be about",
        default=date(2020, 9, 1),
        help_text="The report form refuses a date before this one, in the GOV.UK words "
        '"must be the same as or after ...".',
    )
    # The privacy notice (UK GDPR articles 13 and 14): the school is the controller.
    dpo_name = models.CharField(
        "Data Protection Officer",
        max_length=200,
        default="the school's Data Protection Officer",
        help_text="Who the privacy notice names as the Data Protection Officer.",
    )
    dpo_contact = models.CharField(
        "How to reach the Data Protection Officer",
        max_length=300,
        default="email the school office and mark your message for the attention of the "
        "Data Protection Officer",
        help_text="An e-mail address, phone number or postal address, as the privacy notice "
        "should show it.",
    )
    ico_registration_number = models.CharField(
        "ICO registration number",
        max_length=40,
        blank=True,
        help_text="The school's entry on the Information Commissioner's register of fee payers.",
    )
    privacy_notice_extra = models.TextField(
        "More for the privacy notice",
        blank=True,
        help_text="Anything else the school tells people in this privacy notice, in plain "
        "paragraphs. Shown at the end of the notice.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "school settings"
        verbose_name_plural = "school settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="school_settings_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "SchoolSettings":
        settings, _ = cls.objects.get_or_create(id=1)
        return settings


class ClassGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ClassGroup(models.Model):
    """A class or year WhatsApp group run by parents (the school does not post in them)."""

    name = models.CharField(
        max_length=100,
        unique=True,
        error_messages={"unique": "There is already a group with this name"},
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    is_active = models.BooleanField(default=True)

    objects = ClassGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "class/year WhatsApp group"

    def __str__(self) -> str:
        return self.name


class TermDate(models.Model):
    """A school term. School days are the weekdays inside a term that are not closure days."""

    name = models.CharField(max_length=100, help_text="For example, Autumn term 2026.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "term date"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_on_or_after_it_starts",
                violation_error_message="The term must end on or after the day it starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A weekday in term when the school is closed, so it is not a school day."""

    date = models.DateField(
        unique=True, error_messages={"unique": "This day is already a closure day"}
    )
    reason = models.CharField(max_length=200, help_text="For example, INSET day or bank holiday.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "closure day"

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}: {self.reason}"
