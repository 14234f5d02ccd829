from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from brunswick.audit.admin import AuditedAdmin

from .models import ClassGroup, ClosureDay, SchoolSettings, TermDate


@admin.register(SchoolSettings)
class SchoolSettingsAdmin(AuditedAdmin, SimpleHistoryAdmin):
    fieldsets = [
        ("The school", {"fields": ["name", "address", "phone", "email"]}),
        ("Safeguarding", {"fields": ["dsl_name", "dsl_contact"]}),
        (
            "Letters",
            {
                "fields": [
                    "signatory_name",
                    "signatory_role",
                    "letters_may_be_emailed",
                    "slt_may_send_warning_letters",
                ]
            },
        ),
        (
            "Reports",
            {
                "fields": [
                    "allow_anonymous_reports",
                    "earliest_report_date",
                    "acknowledgement_target_school_days",
                    "case_close_target_school_days",
                ]
            },
        ),
        (
            "Privacy notice",
            {
                "description": "Shown at /privacy/, linked from every page. The periods it "
                "gives come from the retention schedule.",
                "fields": [
                    "dpo_name",
                    "dpo_contact",
                    "ico_registration_number",
                    "privacy_notice_extra",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        return not SchoolSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassGroup)
class ClassGroupAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    ordering = ("position", "name")

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)

        class Labelled(form):
            # Each box in the editable list says which group it is for (WCAG 1.3.1, 4.1.2).
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                for name, field in self.fields.items():
                    if name in self._meta.fields:
                        label = f"{field.label} of {self.instance}"
                        field.widget.attrs["aria-label"] = label

        return Labelled


@admin.register(TermDate)
class TermDateAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "starts_on", "ends_on")
    ordering = ("-starts_on",)


@admin.register(ClosureDay)
class ClosureDayAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("date", "reason")
    ordering = ("-date",)
