import base64
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from brunswick.accounts.models import Role, User


@pytest.mark.django_db
def test_the_first_admin_is_enrolled_with_a_role_and_an_authenticator(client, capsys):
    call_command("enrol_staff", "firstadmin", "--role", "admin", "--email", "it@example.org")
    out = capsys.readouterr().out
    password = re.search(r"password:\s+(\S+)", out).group(1)
    secret = re.search(r"TOTP secret:\s+(\S+)", out).group(1)
    user = User.objects.get(username="firstadmin")
    assert user.has_role(Role.ADMIN) and user.is_staff

    device = user.totpdevice_set.get()
    assert secret == base64.b32encode(device.bin_key).decode()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(
        "/staff/login/", {"username": "firstadmin", "password": password, "otp_token": code}
    )
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_lost_authenticator_is_replaced(capsys):
    call_command("enrol_staff", "sam", "--role", "slt")
    first = re.search(r"TOTP secret:\s+(\S+)", capsys.readouterr().out).group(1)
    call_command("enrol_staff", "sam", "--role", "slt", "--new-authenticator")
    second = re.search(r"TOTP secret:\s+(\S+)", capsys.readouterr().out).group(1)
    assert first != second
    assert User.objects.get(username="sam").totpdevice_set.count() == 1
