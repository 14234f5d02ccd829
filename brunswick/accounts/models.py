"""Staff accounts. Parents never have one: they follow reports up with a reference and a
passphrase."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """Staff roles; each is a Django group of the same name."""

    SLT = "slt", "Senior Leadership Team"
    HEAD_TEACHER = "head_teacher", "Head Teacher"
    OFFICE = "office", "Office"
    ADMIN = "admin", "Admin"

    @property
    def group_name(self) -> str:
        return self.label

    @property
    def reads_reports(self) -> bool:
        """Reports, reporters' details and cases are for SLT and the Head Teacher only: such
        a role takes effect only once the Head Teacher confirms it (brunswick.access)."""
        return self in (Role.SLT, Role.HEAD_TEACHER)


class UserQuerySet(models.QuerySet):
    """Filters over staff accounts."""

    def with_role(self, *roles: Role):
        return self.filter(
            is_active=True, groups__name__in=[r.group_name for r in roles]
        ).distinct()


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    objects = StaffManager()
    history = HistoricalRecords()

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        # Cached per instance: templates and views ask often within one request.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role.group_name in self._role_names

    def can_read_reports(self) -> bool:
        """Report content, screenshots and reporters are for SLT and the Head Teacher only."""
        return any(self.has_role(role) for role in Role if role.reads_reports)

    def is_head_teacher(self) -> bool:
        return self.has_role(Role.HEAD_TEACHER)

    def is_office(self) -> bool:
        return self.has_role(Role.OFFICE)
