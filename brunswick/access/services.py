"""Every change to who may use the portal, and what they may read.

Separation of duties: no one changes their own roles or account; a role that can read
reports (SLT, Head Teacher) asked for by an admin waits for a Head Teacher, who is neither
the person nor the one who asked, to confirm it in the portal. Each change is one call
here: it makes the change, records its audit event (who, whom, the roles before and
after) in the same transaction, and e-mails the Head Teacher a link, never a name.
"""

import base64
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brunswick.accounts.models import Role, User
from brunswick.accounts.roles import roles_ensure
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue

from .models import RoleGrant

Action = AuditEvent.Action
NOT_YOURSELF = (
    "You cannot change your own roles or deactivate your own account. Ask another admin to do it."
)


class AccessRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def roles_of(user: User) -> list[str]:
    """The user's roles as they are in the database now (not the per-request cache)."""
    names = set(user.groups.values_list("name", flat=True))
    return sorted(role.value for role in Role if role.group_name in names)


def waiting_roles_of(user: User) -> list[str]:
    return sorted(RoleGrant.objects.waiting().filter(user=user).values_list("role", flat=True))


def change_refusal(*, acting_user, user: User) -> str:
    """Why `acting_user` may not change `user`'s roles or account ("" if they may).
    The command line (no acting user) may: it is how a new install gets its first staff."""
    if acting_user is None:
        return ""
    if not acting_user.has_role(Role.ADMIN):
        return "Only the admin can change staff roles and accounts."
    if acting_user.pk == user.pk:
        return NOT_YOURSELF
    return ""


def last_head_teacher_refusal(*, user: User, roles: set[str], active: bool) -> str:
    """Why this change would leave the school with no active Head Teacher ("" if not):
    nobody could then confirm a role, approve a serious step or decide a case."""
    if not user.is_head_teacher() or (Role.HEAD_TEACHER.value in roles and active):
        return ""
    others = User.objects.with_role(Role.HEAD_TEACHER).exclude(pk=user.pk)
    if others.exists():
        return ""
    return (
        f"{user} is the only Head Teacher. Give another account the Head Teacher role (and "
        "have it confirmed) before removing it or deactivating this account."
    )


def _access_event(action, *, user: User, acting_user, notify: bool = True, **extra):
    """One audit event about `user`'s access; the Head Teacher is told by e-mail."""
    event = audit_record(
        action=action,
        obj=user,
        actor=acting_user,
        actor_kind="staff" if acting_user is not None else "command line",
        **extra,
    )
    if notify:
        outbox_enqueue(kind=OutboxMessage.Kind.ACCESS_CHANGED, object_id=event.id)
    return event


def _lock(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@dataclass(frozen=True)
class RolesChanged:
    granted: list[str]
    waiting: list[str]  # Asked for: they wait for the Head Teacher.
    removed: list[str]
    cancelled: list[str]

    @property
    def anything(self) -> bool:
        return bool(self.granted or self.waiting or self.removed or self.cancelled)


def staff_roles_change(*, user: User, roles: set[Role], acting_user) -> RolesChanged:
    """Give `user` exactly `roles` (the admin's tick boxes). Roles that can read reports
    are asked for, not given; removals and other roles take effect at once."""
    if refusal := change_refusal(acting_user=acting_user, user=user):
        raise PermissionDenied(refusal)
    groups = roles_ensure()
    with transaction.atomic():
        user = _lock(user)
        wanted_values = {Role(role).value for role in roles}
        if refusal := last_head_teacher_refusal(user=user, roles=wanted_values, active=True):
            raise AccessRefused(refusal)
        before = set(roles_of(user))
        waiting = set(waiting_roles_of(user))
        wanted = {Role(role).value for role in roles}
        changed = RolesChanged(
            granted=sorted(r for r in wanted - before if not Role(r).reads_reports),
            waiting=sorted(r for r in wanted - before - waiting if Role(r).reads_reports),
            removed=sorted(before - wanted),
            cancelled=sorted(waiting - wanted),
        )
        now = set(before)
        for role in changed.removed:
            user.groups.remove(groups[Role(role)])
            now.discard(role)
            _access_event(
                Action.ROLE_REMOVED, user=user, acting_user=acting_user, role=role,
                roles=[sorted(before), sorted(now)],
            )  # fmt: skip
        for role in changed.granted:
            user.groups.add(groups[Role(role)])
            previous, now = sorted(now), now | {role}
            _access_event(
                Action.ROLE_GRANTED, user=user, acting_user=acting_user, role=role,
                roles=[previous, sorted(now)],
            )  # fmt: skip
        for role in changed.cancelled:
            grant = RoleGrant.objects.waiting().select_for_update().get(user=user, role=role)
            _decide(grant, RoleGrant.Status.CANCELLED, acting_user)
            _access_event(
                Action.ROLE_GRANT_CANCELLED, user=user, acting_user=acting_user, role=role,
                grant=grant.id,
            )  # fmt: skip
        for role in changed.waiting:
            grant = RoleGrant.objects.create(user=user, role=role, requested_by=acting_user)
            _access_event(
                Action.ROLE_GRANT_REQUESTED, user=user, acting_user=acting_user, role=role,
                grant=grant.id, roles=[sorted(now), sorted(now)],
            )  # fmt: skip
    return changed


def _decide(grant: RoleGrant, status: str, acting_user) -> None:
    grant.status, grant.decided_by, grant.decided_at = status, acting_user, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


def confirm_refusal(grant: RoleGrant, acting_user) -> str:
    """Why `acting_user` may not confirm this grant ("" if they may)."""
    if not acting_user.is_head_teacher():
        return "Only the Head Teacher can confirm a role that can read reports."
    if grant.status != RoleGrant.Status.WAITING:
        return f"This request has already been dealt with: {grant.get_status_display().lower()}."
    if grant.user_id == acting_user.pk:
        return "You cannot confirm a role for your own account: another Head Teacher must."
    if grant.requested_by_id == acting_user.pk:
        return "You asked for this role yourself: another Head Teacher must confirm it."
    if not grant.user.is_active:
        return "This account is deactivated: reactivate it before confirming a role."
    return ""


def role_grant_decide(*, grant: RoleGrant, confirm: bool, acting_user) -> RoleGrant:
    """The Head Teacher confirms (the role takes effect now) or refuses a waiting role."""
    if not acting_user.is_head_teacher():
        raise PermissionDenied("Only the Head Teacher can confirm a role that can read reports.")
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
        user = _lock(grant.user)
        if refusal := confirm_refusal(grant, acting_user):
            raise AccessRefused(refusal)
        before = roles_of(user)
        if confirm:
            user.groups.add(roles_ensure()[Role(grant.role)])
        status = RoleGrant.Status.CONFIRMED if confirm else RoleGrant.Status.REFUSED
        _decide(grant, status, acting_user)
        _access_event(
            Action.ROLE_GRANT_CONFIRMED if confirm else Action.ROLE_GRANT_REFUSED,
            user=user, acting_user=acting_user, role=grant.role, grant=grant.id,
            roles=[before, roles_of(user)],
        )  # fmt: skip
    return grant


def account_activity_change(*, user: User, active: bool, acting_user) -> None:
    """Deactivate (they can no longer sign in; their sessions end) or reactivate."""
    if refusal := change_refusal(acting_user=acting_user, user=user):
        raise PermissionDenied(refusal)
    with transaction.atomic():
        user = _lock(user)
        if user.is_active == active:
            return
        if refusal := last_head_teacher_refusal(
            user=user, roles=set(roles_of(user)), active=active
        ):
            raise AccessRefused(refusal)
        user.is_active = active
        user.save(update_fields=["is_active"])
        _access_event(
            Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED,
            user=user, acting_user=acting_user, is_active=[not active, active],
            roles=[roles_of(user), roles_of(user)],
        )  # fmt: skip


# What the admin may change about an account besides its roles and whether it is active.
DETAILS = ("username", "first_name", "last_name", "email")


def account_details_change(*, user: User, changed: list[str], acting_user) -> None:
    """Save the admin's edit of an account's details (names only in the event: an
    e-mail address is personal data)."""
    fields = [name for name in changed if name in DETAILS]
    if not fields:
        return
    with transaction.atomic():  # Your own details are yours to correct: no refusal here.
        user.save(update_fields=fields)
        # A new e-mail address on an account that reads reports would divert what the
        # portal tells it: the Head Teacher and the old address are told.
        _access_event(
            Action.ACCOUNT_CHANGED, user=user, acting_user=acting_user, fields=fields,
            notify="email" in fields and user.can_read_reports(),
        )  # fmt: skip


def staff_account_create(*, user: User, acting_user) -> User:
    """An account made in the admin: no role yet, and no authenticator (enrol_staff
    --new-authenticator gives one)."""
    with transaction.atomic():
        user.save()
        _access_event(
            Action.STAFF_ENROLLED, user=user, acting_user=acting_user, via="admin",
            roles=[[], []],
        )  # fmt: skip
    return user


def password_reset_record(*, user: User, acting_user) -> None:
    """Record that an admin set someone's password (the admin's own form sets it)."""
    _access_event(
        Action.PASSWORD_RESET, user=user, acting_user=acting_user, roles=[roles_of(user)] * 2
    )


def staff_enrol(
    *, username: str, role: Role, password: str, new_authenticator: bool = False, **details
) -> tuple[User, str]:
    """Create (or update) a staff account with its role, password and TOTP device, from
    the command line: how a fresh install gets its first Head Teacher and admin. The role
    takes effect at once (whoever runs the command runs the server), and is recorded and
    reported to the Head Teacher like any other change. With `new_authenticator`, the old
    device is removed (a lost phone) and a new one made. Returns the user and the
    authenticator secret (base32) for their app."""
    with transaction.atomic():
        groups = roles_ensure()
        user, created = User.objects.get_or_create(username=username, defaults=details)
        before = [] if created else roles_of(user)
        user.set_password(password)
        user.save()
        user.groups.set([groups[role]])
        for grant in RoleGrant.objects.waiting().filter(user=user).select_for_update():
            _decide(grant, RoleGrant.Status.CANCELLED, None)  # The command line decided.
        if new_authenticator:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.filter(user=user).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
        _access_event(
            Action.STAFF_ENROLLED, user=user, acting_user=None, via="command line",
            created=created, new_authenticator=new_authenticator,
            roles=[before, roles_of(user)],
        )  # fmt: skip
    return user, base64.b32encode(device.bin_key).decode()


def password_change_record(*, user: User) -> None:
    """Record that someone changed their own password (Django's form has set it)."""
    _access_event(Action.PASSWORD_CHANGED, user=user, acting_user=user, notify=False)
