"""Set up the staff roles as Django groups, with what each may do in the Django admin."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import Role, User

# What each role may do in the Django admin: accounts and the school's own settings. Not
# groups: the roles are fixed here, and renaming or re-permissioning one in the admin would
# change who may read reports.
# Reports and cases are never here; staff reach them only through the portal's pages, which
# check the role on every request. Letter templates are here (their wording), letters are not.
# "accounts.user" is the user model: it replaces auth.user, which has no permissions here.
ADMIN_MODELS = [
    ("accounts", "user"),
    ("school", "schoolsettings"),
    ("school", "classgroup"),
    ("school", "termdate"),
    ("school", "closureday"),
    ("retention", "retentionschedule"),
    ("letters", "lettertemplate"),
]
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: (
        *(
            f"{app}.{action}_{model}"
            for app, model in ADMIN_MODELS
            for action in ("view", "add", "change")
        ),
        # E-mails and jobs that failed (no content in them), to retry once the fault is fixed.
        "outbox.view_outboxmessage",
        # Whether each night's purge ran, and its counts (never which records).
        "retention.view_purgerun",
    ),
    Role.SLT: (),
    Role.HEAD_TEACHER: (),
    Role.OFFICE: (),
}


def roles_ensure() -> dict[Role, Group]:
    """One group per role, holding exactly the permissions in ROLE_PERMISSIONS (any added
    by hand are removed). Safe to run again; needs the permissions migrate creates."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
        groups[role] = group
    return groups


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    if not names:
        return []
    wanted = Q()
    for name in names:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(wanted).select_related("content_type"))
    missing = set(names) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:  # A typo here would silently give a role less than intended.
        raise LookupError(f"No such permissions: {', '.join(sorted(missing))}")
    return found


def staff_status_sync(users: Iterable[User]) -> None:
    """`is_staff` (Django's "may open the admin") is true for the Admin role and no one else."""
    for user in users:
        is_admin = user.groups.filter(name=Role.ADMIN.group_name).exists()
        if user.is_staff != is_admin:
            user.is_staff = is_admin
            user.save(update_fields=["is_staff"])
