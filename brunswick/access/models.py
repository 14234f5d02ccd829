"""Who may read what: a role asked for that can read reports waits here for the Head
Teacher. The roles themselves are Django groups (brunswick.accounts.models.Role)."""

from django.conf import settings
from django.db import models

from brunswick.accounts.models import Role

User = settings.AUTH_USER_MODEL


class RoleGrantQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=RoleGrant.Status.WAITING)


class RoleGrant(models.Model):
    """A role that can read reports (SLT, Head Teacher), asked for by an admin for someone
    else. It takes effect only when a Head Teacher, who is neither of them, confirms it."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the Head Teacher"
        CONFIRMED = "confirmed", "Confirmed"
        REFUSED = "refused", "Refused"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            # One request at a time for the same role: a double click makes one.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="waiting"),
                name="role_grant_one_waiting_per_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("requested_by")),
                name="role_grant_not_for_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user} ({self.get_status_display()})"
