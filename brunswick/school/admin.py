from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brunswick.audit.admin import AuditedAdmin

from .models import ClassGroup, ClosureDay, SchoolSettings, TermDate


@admin.register(SchoolSettings)
class SchoolSettingsAdmin(AuditedAdmin, SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return not SchoolSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassGroup)
class ClassGroupAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    ordering = ("position", "name")


@admin.register(TermDate)
class TermDateAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "starts_on", "ends_on")
    ordering = ("-starts_on",)


@admin.register(ClosureDay)
class ClosureDayAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("date", "reason")
    ordering = ("-date",)
