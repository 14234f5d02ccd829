from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from brunswick.accounts.admin import ClosedChangelist
from brunswick.audit.admin import AuditedAdmin
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue

from .models import PurgeRun, RetentionSchedule

# Legal holds are not here: their reasons are case content, and only the Head Teacher
# places or releases them, from the case and person pages.


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "closed_case_months", "closed_report_months", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": ("closed_case_months", "closed_report_months", "unlinked_person_months"),
                "description": "A period you make shorter takes effect 30 days after you save "
                "it; until then the nightly purge keeps to the longer one. The Head Teacher "
                "is e-mailed about every change.",
            },
        ),
    )

    def has_add_permission(self, request):
        return not RetentionSchedule.objects.exists()

    def save_model(self, request, obj, form, change):
        """Audited (AuditedAdmin), and the Head Teacher is told: a shorter period takes
        effect only after SHORTENING_NOTICE (RetentionSchedule.in_force)."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            outbox_enqueue(kind=OutboxMessage.Kind.RETENTION_CHANGED, object_id=obj.id)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PurgeRun)
class PurgeRunAdmin(ClosedChangelist, admin.ModelAdmin):
    """What each night's purge removed: counts only, read-only."""

    list_display = ("run_on", "started_at", "finished_at", "interrupted", "failed")
    # Counts, and how many records failed: not which (their ids would tell the Admin role
    # which cases and reports exist). The log and `purge_expired --dry-run` name them.
    fields = readonly_fields = (
        "run_on", "started_at", "finished_at", "interrupted", "counts", "failed",
    )  # fmt: skip

    @admin.display(description="Records that failed (tried again next run)")
    def failed(self, obj: PurgeRun) -> int:
        return len(obj.failures)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
