from django.contrib import admin

from brunswick.accounts.admin import ClosedChangelist

from .models import OutboxMessage
from .services import outbox_retry_failed


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ClosedChangelist, admin.ModelAdmin):
    # Not object_id: a job's object is a report, case or letter, whose ids are not for the
    # Admin role (nor how many there are).
    list_display = (
        "kind",
        "created_at",
        "sent_at",
        "failed_at",
        "attempts",
        "last_error",
    )
    list_filter = (
        "kind",
        ("failed_at", admin.EmptyFieldListFilter),
        ("sent_at", admin.EmptyFieldListFilter),
    )
    actions = ["retry"]

    @admin.action(description="Try the selected failed messages again")
    def retry(self, request, queryset):
        count = outbox_retry_failed(messages=queryset, acting_user=request.user)
        self.message_user(request, f"{count} failed messages will be tried again.")

    readonly_fields = [f.name for f in OutboxMessage._meta.fields if f.name != "object_id"]
    exclude = ("object_id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
