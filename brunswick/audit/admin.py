"""Changes made in the Django admin are audited like any other: school settings, groups,
term dates, closure days, the retention schedule and letter templates.

Django's own admin log is not enough: the Head Teacher never sees it and it is not on the
hash chain. Every ModelAdmin of the project that can change something inherits
AuditedAdmin (tests/audit/test_admin_changes.py fails on one that does not), so each save
from a change form or an editable list is one audit event in the same transaction.
"""

from django import forms
from django.db import models, transaction
from django.http import Http404

from brunswick.accounts.admin import ClosedChangelist
from brunswick.forms import govuk_messages

from .events import audit_record
from .models import AuditEvent

# Values kept in the event as they were and as they became. Free text (an address, a
# letter's wording, a name) is only named: the event holds codes, never content.
SHOWN = (
    models.BooleanField,
    models.IntegerField,
    models.DateField,
    models.DecimalField,
)


def _shown(field: models.Field) -> bool:
    return isinstance(field, SHOWN) or bool(field.choices)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def admin_words(field, label: str) -> None:
    """A field of an admin form, with every message in GOV.UK words naming it."""
    subject = label[:1].upper() + label[1:]
    given = {}
    if isinstance(field, forms.DateField):
        given["invalid"] = f"{subject} must be a real date, like 2026-09-03"
    if isinstance(field, forms.TimeField):
        given["invalid"] = f"{subject} must be a real time, like 09:15"
    if isinstance(field, forms.SplitDateTimeField):
        given |= {
            "invalid_date": f"{subject} must be a real date, like 2026-09-03",
            "invalid_time": f"{subject} must be a real time, like 09:15",
        }
    govuk_messages(field, subject, **given)


def _an_id(*values: str) -> None:
    if not all(str(value).isdigit() for value in values):
        raise Http404


def field_changes(obj: models.Model, before: dict, names: list[str]) -> dict:
    """{field: [old, new]} for values that may be shown, {field: "changed"} for text."""
    changes = {}
    for name in names:
        field = obj._meta.get_field(name)
        if _shown(field):
            changes[name] = [_plain(before.get(name)), _plain(getattr(obj, field.attname))]
        else:
            changes[name] = "changed"
    return changes


class AuditedAdmin(ClosedChangelist):
    """Mix into a ModelAdmin: saves and deletes write a SETTINGS_CHANGED event naming the
    record and the fields changed (old and new values where they are codes, dates or
    numbers), in the same transaction as the change."""

    def save_model(self, request, obj, form, change):
        # What changed is read from the database, not the form: simple-history's revert
        # form starts from the old values, so its changed_data is empty.
        saved = type(obj).objects.filter(pk=obj.pk).first() if change and obj.pk else None
        fields = [f for f in obj._meta.concrete_fields if not getattr(f, "auto_now", False)]
        before = {f.name: getattr(saved, f.attname) for f in fields} if saved else {}
        names = [
            f.name
            for f in fields
            if not f.primary_key and before.get(f.name) != getattr(obj, f.attname)
        ]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                action=AuditEvent.Action.SETTINGS_CHANGED,
                obj=obj,
                actor=request.user,
                created=not change,
                fields=field_changes(obj, before, names),
            )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class Worded(form):
            # The admin's own forms say what is wrong in the portal's words, not Django's.
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                for name, field in self.fields.items():
                    admin_words(field, str(field.label or name))

        return Worded

    def history_view(self, request, object_id, extra_context=None):
        _an_id(object_id)  # simple-history fails with a 500 on /abc/history/.
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _an_id(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                action=AuditEvent.Action.SETTINGS_CHANGED, obj=obj, actor=request.user, deleted=True
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # One event each, never a silent bulk delete.
            self.delete_model(request, obj)
