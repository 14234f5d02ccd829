"""Creating staff accounts: a role and an authenticator, always together."""

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User
from .roles import roles_ensure


def staff_enrol(
    *, username: str, role: Role, password: str, new_authenticator: bool = False, **details
) -> tuple[User, str]:
    """Create (or update) a staff account with its role, password and TOTP device.
    Returns the user and the authenticator secret (base32) to set up their app. With
    `new_authenticator`, the old device is removed (a lost phone) and a new one made."""
    with transaction.atomic():
        groups = roles_ensure()
        user, _ = User.objects.get_or_create(username=username, defaults=details)
        user.set_password(password)
        user.save()
        user.groups.set([groups[role]])
        if new_authenticator:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.filter(user=user).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    return user, base64.b32encode(device.bin_key).decode()
