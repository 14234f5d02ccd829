"""The school itself: its settings and its class/year WhatsApp groups."""

from django.db import models
from simple_history.models import HistoricalRecords


class SchoolSettings(models.Model):
    """One row: what the school tells parents and how the portal behaves for it."""

    name = models.CharField(max_length=200, default="Brunswick Park Primary School")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(default="office@brunswickpark.southwark.sch.uk")
    dsl_name = models.CharField(
        "Designated Safeguarding Lead", max_length=200, default="the Designated Safeguarding Lead"
    )
    dsl_contact = models.CharField(
        "How to reach the Designated Safeguarding Lead",
        max_length=300,
        default="contact the school office and ask for the Designated Safeguarding Lead",
    )
    allow_anonymous_reports = models.BooleanField(
        default=False,
        help_text="Let parents report without giving their name or contact details.",
    )
    acknowledgement_target_school_days = models.PositiveSmallIntegerField(default=2)
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

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    is_active = models.BooleanField(default=True)

    objects = ClassGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "class/year WhatsApp group"

    def __str__(self) -> str:
        return self.name
