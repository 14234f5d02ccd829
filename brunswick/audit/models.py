"""The audit log: one append-only row per action, saying the intent and never the content."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        REPORT_SUBMITTED = "report_submitted", "Report submitted"
        REPORT_FOLLOWED_UP = "report_followed_up", "Reporter signed in to follow up"
        REPORT_FOLLOW_UP_FAILED = "report_follow_up_failed", "Failed follow-up sign-in"
        REPORTER_ADDED_INFORMATION = "reporter_added_information", "Reporter added information"
        REPORT_VIEWED = "report_viewed", "Report viewed"
        SCREENSHOT_VIEWED = "screenshot_viewed", "Screenshot viewed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=50, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "reporter" or "system" when there is no staff actor.
    actor_kind = models.CharField(max_length=20, default="staff")
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    # Ids and codes only: never report text, names typed by parents or passphrases.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"
