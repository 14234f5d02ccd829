"""Receivers that keep staff accounts and sessions consistent whichever code changes them
(the admin, seed_demo, a shell, a test factory)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .middleware import staff_session_start
from .models import Role, User
from .roles import staff_status_sync


@receiver(user_logged_in)
def start_staff_session_clocks(sender, request, user, **kwargs) -> None:
    staff_session_start(request.session)


@receiver(m2m_changed, sender=User.groups.through)
def staff_status_follows_admin_role(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:  # user.groups changed
        staff_status_sync([instance])
    elif instance.name == Role.ADMIN.group_name:  # the Admin group's members changed
        # After clear() the former members are unknown: check everyone (a school's staff).
        staff_status_sync(User.objects.filter(pk__in=pk_set) if pk_set else User.objects.all())
