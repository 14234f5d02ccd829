from django.contrib import admin

from .models import OutboxMessage
from .services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "object_id",
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
        for message in queryset.failed():
            outbox_retry(message.id)
        self.message_user(request, "The failed messages will be tried again.")

    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
