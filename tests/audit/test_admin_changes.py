"""What the Admin role changes in the admin is on the audit chain, with old and new values."""

import pytest
from django.contrib import admin

from brunswick.access.admin import StaffUserAdmin
from brunswick.accounts.roles import roles_ensure
from brunswick.audit.admin import AuditedAdmin
from brunswick.audit.models import AuditEvent
from brunswick.retention.models import RetentionSchedule
from brunswick.school.models import ClassGroup, SchoolSettings
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# Admins that change things through services of their own, which audit each change.
AUDITED_OTHERWISE = (StaffUserAdmin,)


def _can_change_anything(model_admin) -> bool:
    request = type("Request", (), {"user": type("U", (), {"has_perm": lambda *a: True})()})()
    return any(
        check(request)
        for check in (
            model_admin.has_add_permission,
            model_admin.has_change_permission,
            model_admin.has_delete_permission,
        )
    )


def test_every_admin_page_that_can_change_something_is_audited():
    unaudited = [
        f"{model._meta.label}: {type(model_admin).__name__}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in ("django_otp", "otp_totp", "axes")
        and _can_change_anything(model_admin)
        and not isinstance(model_admin, (AuditedAdmin, *AUDITED_OTHERWISE))
    ]
    assert not unaudited, f"admin pages that change records without an audit event: {unaudited}"


@pytest.fixture
def admin_client(client, admin_user):
    roles_ensure()
    return sign_in(client, admin_user)


def _form_data(client, url: str) -> dict:
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def test_a_change_to_the_school_settings_records_old_and_new_values(admin_client, admin_user):
    settings = SchoolSettings.current()
    url = f"/admin/school/schoolsettings/{settings.pk}/change/"
    data = _form_data(admin_client, url)
    data |= {
        "slt_may_send_warning_letters": "on",
        "address": "1 New Road",
        "acknowledgement_target_school_days": 3,
    }
    assert admin_client.post(url, data).status_code == 302

    event = AuditEvent.objects.get(action="settings_changed")
    assert (event.actor, event.object_type) == (admin_user, "school.schoolsettings")
    assert event.extra["fields"] == {
        "acknowledgement_target_school_days": [2, 3],
        "address": "changed",  # Free text is named, never copied into the log.
        "slt_may_send_warning_letters": [False, True],
    }


def test_a_change_to_the_retention_schedule_is_audited(admin_client):
    schedule = RetentionSchedule.current()
    url = f"/admin/retention/retentionschedule/{schedule.pk}/change/"
    data = _form_data(admin_client, url) | {"closed_case_months": 84}
    assert admin_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="settings_changed")
    assert event.extra["fields"] == {"closed_case_months": [72, 84]}


def test_a_change_in_an_editable_list_is_audited(admin_client, groups):
    first = ClassGroup.objects.order_by("position", "name").first()
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "_save": "Save",
    }
    for n, group in enumerate(ClassGroup.objects.order_by("position", "name")):
        data |= {f"form-{n}-id": group.id, f"form-{n}-position": group.position}
        if group != first:
            data[f"form-{n}-is_active"] = "on"
    assert admin_client.post("/admin/school/classgroup/", data).status_code == 302
    [event] = AuditEvent.objects.filter(action="settings_changed")
    assert event.object_id == str(first.id)
    assert event.extra["fields"] == {"is_active": [True, False]}


def test_reverting_the_settings_in_the_admin_records_what_changed(admin_client):
    settings = SchoolSettings.current()
    url = f"/admin/school/schoolsettings/{settings.pk}/change/"
    data = _form_data(admin_client, url) | {"acknowledgement_target_school_days": 5}
    admin_client.post(url, data)
    first = settings.history.order_by("history_id").first()
    revert = f"/admin/school/schoolsettings/{settings.pk}/history/{first.history_id}/"
    data = _form_data(admin_client, revert)
    assert admin_client.post(revert, data).status_code == 302
    assert SchoolSettings.current().acknowledgement_target_school_days == 2
    event = AuditEvent.objects.filter(action="settings_changed").latest("id")
    assert event.extra["fields"] == {"acknowledgement_target_school_days": [5, 2]}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/school/schoolsettings/abc/history/",
        "/admin/school/schoolsettings/1/history/abc/",
        "/admin/school/classgroup/abc/history/",
        "/admin/retention/retentionschedule/1/history/x/",
    ],
)
def test_a_history_address_that_is_not_a_number_is_not_found(admin_client, path):
    SchoolSettings.current()
    RetentionSchedule.current()
    admin_client.raise_request_exception = False
    assert admin_client.get(path).status_code == 404


def test_admin_forms_say_what_is_wrong_in_plain_words(admin_client):
    response = admin_client.post(
        "/admin/school/termdate/add/",
        {"name": "", "starts_on": "2026-02-30", "ends_on": "2026-01-01"},
    )
    page = response.content.decode()
    assert "Enter name" in page or "Enter the name" in page
    assert "Starts on must be a real date, like 2026-09-03" in page
    assert "This field is required" not in page and "Enter a valid date" not in page
    response = admin_client.post(
        "/admin/school/termdate/add/",
        {"name": "Autumn", "starts_on": "2026-09-03", "ends_on": "2026-09-01"},
    )
    assert "The term must end on or after the day it starts" in response.content.decode()
    assert not AuditEvent.objects.filter(action="settings_changed").exists()
