"""Who may open a staff page. Every staff view names its roles with `staff_required`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role


def staff_required(*roles: Role):
    """Signed in with both factors, and holding one of `roles` (any staff role if none)."""
    allowed = roles or tuple(Role)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_verified():
                return redirect_to_login(request.get_full_path())
            if not any(user.has_role(role) for role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # Read by the URL/role table test.
        return wrapper

    return decorator
