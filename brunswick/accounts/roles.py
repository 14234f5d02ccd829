"""Set up the staff roles as Django groups."""

from django.contrib.auth.models import Group

from .models import Role


def roles_ensure() -> dict[Role, Group]:
    return {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
