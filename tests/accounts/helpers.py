from django_otp.oath import totp

from tests.factories import PASSWORD


def current_code(user) -> str:
    """The code the user's authenticator app shows now."""
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_form(client, username, *, address="127.0.0.1", password=PASSWORD, code="000000"):
    """Post the staff sign-in form from a client address, as a browser would."""
    data = {"username": username, "password": password, "otp_token": code}
    return client.post("/staff/login/", data, REMOTE_ADDR=address)
