"""Separation of duties for access: no one raises their own access, a role that can read
reports waits for the Head Teacher, and every change is audited and told to the Head
Teacher."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from brunswick.access.models import RoleGrant
from brunswick.access.services import staff_roles_change
from brunswick.accounts.models import Role, User
from brunswick.accounts.roles import roles_ensure
from brunswick.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    return roles_ensure()


def admin_form(client: Client, user: User, **changes) -> dict:
    """What the admin's change form for `user` posts, with `changes` made."""
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("username", "first_name", "last_name", "email")}
    data |= {"roles": form["roles"].value(), "is_active": "on" if user.is_active else ""}
    data |= {"date_joined_0": "2026-01-01", "date_joined_1": "09:00"}
    return {**data, **changes}


def post_admin_form(client, user, django_capture_on_commit_callbacks, **changes):
    data = admin_form(client, user, **changes)
    with django_capture_on_commit_callbacks(execute=True):  # The outbox sends on commit.
        return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def access_events(user: User) -> list[AuditEvent]:
    """Changes to this account's access (not its authenticator being made by the factory,
    nor signing in)."""
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .exclude(action__in=["signed_in", "signed_out"])
        .exclude(action="two_factor_changed", actor=None)
        .order_by("id")
    )


def reads_a_report(user: User) -> bool:
    report = ReportFactory()
    response = sign_in(Client(), User.objects.get(pk=user.pk)).get(
        f"/staff/reports/{report.reference}/"
    )
    return response.status_code == 200


def test_an_admin_cannot_make_themselves_slt_in_the_admin(
    client, admin_user, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    page = client.get(f"/admin/accounts/user/{admin_user.pk}/change/").content.decode()
    assert "You cannot change your own roles or deactivate your own account" in page

    response = post_admin_form(
        client, admin_user, django_capture_on_commit_callbacks, roles=["admin", "slt"]
    )

    assert response.status_code == 302  # Their own name and e-mail may still change.
    assert User.objects.get(pk=admin_user.pk).groups.get().name == "Admin"
    assert not RoleGrant.objects.exists()
    assert not reads_a_report(admin_user)
    assert [e.action for e in access_events(admin_user)] == []


def test_the_service_refuses_a_self_grant_and_a_grant_by_slt(admin_user, slt, office):
    with pytest.raises(PermissionDenied, match="cannot change your own roles"):
        staff_roles_change(user=admin_user, roles={Role.SLT}, acting_user=admin_user)
    with pytest.raises(PermissionDenied, match="Only the admin"):
        staff_roles_change(user=office, roles={Role.SLT}, acting_user=slt)
    assert not RoleGrant.objects.exists()
    assert not office.groups.filter(name="Senior Leadership Team").exists()


def test_slt_cannot_open_the_admin_to_grant_a_role(client, slt, office):
    sign_in(client, slt)
    assert client.get(f"/admin/accounts/user/{office.pk}/change/").status_code == 403


def test_a_reading_role_waits_for_the_head_teacher_who_is_told_and_confirms_it(
    client, admin_user, head_teacher, office, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    response = post_admin_form(
        client, office, django_capture_on_commit_callbacks, roles=["office", "slt"]
    )
    assert response.status_code == 302

    # Not yet: the role waits, and office staff still cannot read reports.
    grant = RoleGrant.objects.get()
    assert (grant.user, grant.role, grant.status) == (office, "slt", "waiting")
    assert not reads_a_report(office)
    requested = access_events(office)[-1]
    assert requested.action == "role_grant_requested"
    assert requested.actor == admin_user
    assert requested.extra["role"] == "slt"
    assert requested.extra["roles"] == [["office"], ["office"]]
    [told] = mail.outbox
    assert told.to == [head_teacher.email]
    assert told.subject == "A staff role waits for your confirmation"
    assert "/staff/access/" in told.body and office.username not in told.body

    head = sign_in(Client(), head_teacher)
    page = head.get("/staff/").content.decode()
    assert "Staff access" in page and "1<span" in page  # The menu counts what waits.
    assert "Senior Leadership Team" in head.get("/staff/access/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(f"/staff/access/{grant.id}/", {"decision": "confirm"})
    assert response.status_code == 302

    assert reads_a_report(office)
    confirmed = access_events(office)[-1]
    assert confirmed.action == "role_grant_confirmed"
    assert confirmed.actor == head_teacher
    assert confirmed.extra["roles"] == [["office"], ["office", "slt"]]
    log = head.get("/staff/audit/?action=access").content.decode()
    assert "Role confirmed by the Head Teacher" in log and "Role asked for" in log
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', log)
    assert "Audit log viewed" not in cells  # The filter shows access changes only.


def test_a_grant_is_not_confirmed_by_someone_who_is_not_the_head_teacher(
    client, admin_user, slt, office
):
    staff_roles_change(user=office, roles={Role.OFFICE, Role.SLT}, acting_user=admin_user)
    grant = RoleGrant.objects.get()
    other_slt = sign_in(Client(), slt)
    assert other_slt.post(f"/staff/access/{grant.id}/", {"decision": "confirm"}).status_code == 403
    grant.refresh_from_db()
    assert grant.status == "waiting"
    assert not reads_a_report(office)


def test_the_head_teacher_cannot_confirm_a_grant_they_asked_for_or_one_for_themselves(
    admin_user, head_teacher, office, roles
):
    # A Head Teacher who is also an admin asks for a role: another Head Teacher must confirm.
    head_teacher.groups.add(roles[Role.ADMIN])
    asker = User.objects.get(pk=head_teacher.pk)
    staff_roles_change(user=office, roles={Role.OFFICE, Role.SLT}, acting_user=asker)
    head = sign_in(Client(), asker)
    response = head.post(f"/staff/access/{RoleGrant.objects.get().id}/", {"decision": "confirm"})
    assert response.status_code == 302
    page = head.get("/staff/access/").content.decode()
    assert "You asked for this role yourself" in page
    assert RoleGrant.objects.get().status == "waiting"
    assert not reads_a_report(office)

    staff_roles_change(
        user=head_teacher, roles={Role.HEAD_TEACHER, Role.SLT}, acting_user=admin_user
    )
    own = RoleGrant.objects.get(user=head_teacher)
    head.post(f"/staff/access/{own.id}/", {"decision": "confirm"})
    assert RoleGrant.objects.get(pk=own.pk).status == "waiting"


def test_a_double_click_on_confirm_confirms_once(client, admin_user, head_teacher, office):
    staff_roles_change(user=office, roles={Role.SLT}, acting_user=admin_user)
    grant = RoleGrant.objects.get()
    head = sign_in(Client(), head_teacher)
    head.post(f"/staff/access/{grant.id}/", {"decision": "confirm"})
    second = head.post(f"/staff/access/{grant.id}/", {"decision": "refuse"}, follow=True)
    assert "already been dealt with: confirmed" in second.content.decode()
    assert AuditEvent.objects.filter(action="role_grant_confirmed").count() == 1
    assert not AuditEvent.objects.filter(action="role_grant_refused").exists()


def test_a_refused_grant_leaves_the_roles_as_they_were(admin_user, head_teacher, office):
    staff_roles_change(user=office, roles={Role.OFFICE, Role.HEAD_TEACHER}, acting_user=admin_user)
    grant = RoleGrant.objects.get()
    sign_in(Client(), head_teacher).post(f"/staff/access/{grant.id}/", {"decision": "refuse"})
    assert RoleGrant.objects.get().status == "refused"
    assert not User.objects.get(pk=office.pk).is_head_teacher()
    assert access_events(office)[-1].extra["roles"] == [["office"], ["office"]]


def test_other_roles_and_removals_take_effect_at_once_and_are_audited_and_told(
    client, admin_user, head_teacher, slt, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    post_admin_form(client, slt, django_capture_on_commit_callbacks, roles=["office"])
    slt = User.objects.get(pk=slt.pk)
    assert not slt.can_read_reports() and slt.is_office()
    actions = [(e.action, e.extra["role"], e.extra["roles"]) for e in access_events(slt)]
    assert actions == [
        ("role_removed", "slt", [["slt"], []]),
        ("role_granted", "office", [[], ["office"]]),
    ]
    assert len(mail.outbox) == 2 and all(m.to == [head_teacher.email] for m in mail.outbox)


def test_unticking_a_waiting_role_cancels_it(admin_user, office):
    staff_roles_change(user=office, roles={Role.OFFICE, Role.SLT}, acting_user=admin_user)
    staff_roles_change(user=office, roles={Role.OFFICE}, acting_user=admin_user)
    assert RoleGrant.objects.get().status == "cancelled"
    assert access_events(office)[-1].action == "role_grant_cancelled"


def test_asking_twice_for_the_same_role_makes_one_request(admin_user, office):
    staff_roles_change(user=office, roles={Role.SLT}, acting_user=admin_user)
    staff_roles_change(user=office, roles={Role.SLT}, acting_user=admin_user)
    assert RoleGrant.objects.count() == 1


def test_deactivating_an_account_is_audited_and_refused_for_oneself(
    client, admin_user, office, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    post_admin_form(client, office, django_capture_on_commit_callbacks, is_active="")
    assert not User.objects.get(pk=office.pk).is_active
    event = access_events(office)[-1]
    assert (event.action, event.extra["is_active"]) == ("account_deactivated", [True, False])

    post_admin_form(client, admin_user, django_capture_on_commit_callbacks, is_active="")
    assert User.objects.get(pk=admin_user.pk).is_active


def test_a_password_set_by_the_admin_is_audited(client, admin_user, office):
    sign_in(client, admin_user)
    response = client.post(
        f"/admin/accounts/user/{office.pk}/password/",
        {"password1": "a new long passphrase 7", "password2": "a new long passphrase 7"},
    )
    assert response.status_code == 302
    assert access_events(office)[-1].action == "password_reset"
    assert access_events(office)[-1].actor == admin_user


def test_a_new_account_made_in_the_admin_is_audited(client, admin_user):
    sign_in(client, admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newstaff",
            "password1": "a new long passphrase 7",
            "password2": "a new long passphrase 7",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newstaff")
    assert [e.action for e in access_events(user)] == ["staff_enrolled"]
    assert access_events(user)[0].extra["via"] == "admin"


def test_the_first_head_teacher_comes_from_the_command_line_and_is_recorded(capsys):
    UserFactory(username="heidi", role=Role.HEAD_TEACHER)
    call_command("enrol_staff", "newhead", "--role", "head_teacher")
    user = User.objects.get(username="newhead")
    assert user.is_head_teacher()  # At once: whoever runs the command runs the server.
    [event] = access_events(user)
    assert (event.action, event.actor, event.actor_kind) == (
        "staff_enrolled",
        None,
        "command line",
    )
    assert event.extra["roles"] == [[], ["head_teacher"]]


def test_staff_change_their_own_password_and_it_is_audited(
    client, slt, django_capture_on_commit_callbacks
):
    from tests.factories import PASSWORD

    sign_in(client, slt)
    wrong = client.post(
        "/staff/password/",
        {"old_password": "nope", "new_password1": "a new long passphrase 7", "new_password2": "x"},
    )
    assert wrong.status_code == 200
    page = wrong.content.decode()
    assert "Your current password is not right" in page or "not the same" in page
    assert not access_events(slt)

    response = client.post(
        "/staff/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase 7",
            "new_password2": "a new long passphrase 7",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=slt.pk).check_password("a new long passphrase 7")
    assert [e.action for e in access_events(slt)] == ["password_changed"]
    assert client.get("/staff/").status_code == 200  # Still signed in.


def test_the_admin_s_own_password_page_is_the_staff_one(client, admin_user):
    sign_in(client, admin_user)
    assert client.get("/admin/password_change/")["Location"] == "/staff/password/"


def test_a_refused_password_form_in_the_admin_records_nothing(client, admin_user, office):
    sign_in(client, admin_user)
    client.post(
        f"/admin/accounts/user/{office.pk}/password/",
        {"usable_password": "false", "password1": "", "password2": ""},
    )
    assert not [e for e in access_events(office) if e.action == "password_reset"]


def test_the_only_head_teacher_cannot_be_removed_or_deactivated(
    client, admin_user, head_teacher, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    response = post_admin_form(client, head_teacher, django_capture_on_commit_callbacks, roles=[])
    assert response.status_code == 200
    assert "is the only Head Teacher" in response.content.decode()
    response = post_admin_form(
        client, head_teacher, django_capture_on_commit_callbacks, is_active=""
    )
    assert "is the only Head Teacher" in response.content.decode()
    head = User.objects.get(pk=head_teacher.pk)
    assert head.is_head_teacher() and head.is_active
    assert not mail.outbox


def test_a_new_e_mail_address_on_a_reading_account_is_told_to_the_old_one(
    client, admin_user, head_teacher, slt, django_capture_on_commit_callbacks
):
    old = slt.email
    sign_in(client, admin_user)
    post_admin_form(
        client, slt, django_capture_on_commit_callbacks, email="someone.else@example.org"
    )
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent[head_teacher.email].subject == "Staff access was changed"
    assert sent[old].subject == "The e-mail address of your staff account was changed"
    assert "someone.else@example.org" not in sent


def test_a_notice_with_no_head_teacher_to_tell_is_not_counted_as_sent(admin_user, office):
    from brunswick.access.notifications import NobodyToTell
    from brunswick.outbox.models import OutboxMessage
    from brunswick.outbox.services import outbox_deliver

    staff_roles_change(user=office, roles={Role.OFFICE, Role.ADMIN}, acting_user=admin_user)
    job = OutboxMessage.objects.filter(kind="access_changed").latest("id")
    with pytest.raises(NobodyToTell):
        outbox_deliver(job.id)
    job.refresh_from_db()
    assert job.sent_at is None and job.attempts == 1
