from django.utils.functional import SimpleLazyObject

from .models import RoleGrant


def waiting_roles(request):
    # Lazy: counted only where a page shows it (the Head Teacher's menu).
    return {"roles_waiting": SimpleLazyObject(lambda: RoleGrant.objects.waiting().count())}
