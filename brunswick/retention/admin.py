from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brunswick.accounts.admin import ClosedChangelist
from brunswick.audit.admin import AuditedAdmin

from .models import PurgeRun, RetentionSchedule

# Legal holds are not here: their reasons are case content, and only the Head Teacher
# places or releases them, from the case and person pages.


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "closed_case_months", "closed_report_months", "updated_at")

    def has_add_permission(self, request):
        return not RetentionSchedule.objects.exists()

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
