"""Roles are groups; only the Admin role has admin permissions and staff status."""

import pytest
from django.contrib.auth.models import Group, Permission

from brunswick.accounts.models import Role
from brunswick.accounts.roles import roles_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PERMISSIONS = {
    f"{app}.{action}_{model}"
    for app, model in [
        ("accounts", "user"),
        ("school", "schoolsettings"),
        ("school", "classgroup"),
        ("school", "termdate"),
        ("school", "closureday"),
        ("retention", "retentionschedule"),
        ("letters", "lettertemplate"),
    ]
    for action in ("view", "add", "change")
} | {"outbox.view_outboxmessage", "retention.view_purgerun"}


def permission_names(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_admin_role_manages_accounts_roles_and_school_settings_only():
    groups = roles_ensure()
    assert permission_names(groups[Role.ADMIN]) == ADMIN_PERMISSIONS
    for role in (Role.SLT, Role.HEAD_TEACHER, Role.OFFICE):
        assert permission_names(groups[role]) == set()


def test_roles_ensure_puts_back_what_was_changed_by_hand():
    groups = roles_ensure()
    groups[Role.OFFICE].permissions.add(Permission.objects.get(codename="change_user"))
    groups[Role.ADMIN].permissions.add(Permission.objects.get(codename="delete_user"))

    again = roles_ensure()
    assert again == groups
    assert permission_names(again[Role.OFFICE]) == set()
    assert permission_names(again[Role.ADMIN]) == ADMIN_PERMISSIONS
    assert Group.objects.count() == len(Role)


def test_an_admin_signed_in_has_the_admin_permissions(admin_user, office):
    roles_ensure()
    assert admin_user.has_perm("school.change_schoolsettings")
    assert not office.has_perm("school.view_schoolsettings")
    assert not admin_user.has_perm("reports.view_report")


@pytest.mark.parametrize("role", [Role.SLT, Role.HEAD_TEACHER, Role.OFFICE])
def test_only_the_admin_role_has_staff_status(role):
    assert UserFactory(role=Role.ADMIN).is_staff
    assert not UserFactory(role=role).is_staff


def test_staff_status_follows_the_admin_role_whichever_side_changes(office):
    admin_group = roles_ensure()[Role.ADMIN]

    office.groups.add(admin_group)
    assert office.is_staff
    office.groups.remove(admin_group)
    assert not office.is_staff

    admin_group.user_set.add(office)
    office.refresh_from_db()
    assert office.is_staff
    admin_group.user_set.clear()
    office.refresh_from_db()
    assert not office.is_staff


def test_a_change_of_staff_status_is_in_the_user_history(office):
    office.groups.add(roles_ensure()[Role.ADMIN])
    assert office.history.latest().is_staff
