"""Staff sign-in: a password and a TOTP code, always; too many failures lock one address
out for one username (django-axes)."""

from axes.helpers import get_cool_off
from crispy_forms_gds.helper import FormHelper
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from brunswick.forms import govuk_messages


class StaffAuthenticationForm(OTPAuthenticationForm):
    """Password and authenticator code on one page; the code is required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff have exactly one TOTP device each: no device picker, no challenge button.
        del self.fields["otp_device"]
        del self.fields["otp_challenge"]
        self.fields["username"].label = "Username"
        self.fields["otp_token"].label = "Code from your authenticator app"
        self.fields["otp_token"].help_text = "The 6-digit code, for example 123456"
        self.fields["otp_token"].required = True
        # Django sets the username's max_length after the field is built, so nothing checks
        # it: a longer one reached django-axes, whose column holds 255, and the page was a
        # 500. Check it here, in words; and no maxlength attribute, which cuts a paste.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length or 150))
        username.widget.attrs.pop("maxlength", None)
        govuk_messages(self.fields["username"], "Your username", required="Enter your username")
        govuk_messages(self.fields["password"], "Your password", required="Enter your password")
        govuk_messages(
            self.fields["otp_token"],
            "The code from your authenticator app",
            required="Enter the code from your authenticator app",
        )
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        wrong = "Enter a correct username, password and authenticator code"
        # "inactive" too: a deactivated account reads like a wrong password.
        self.error_messages = {**self.error_messages, "invalid_login": wrong, "inactive": wrong}
        # Every refusal after a right password reads like a wrong password, so the page
        # never tells a guesser that the password was right (django-otp's own messages for
        # a missing code or a throttled device would).
        self.otp_error_messages = {
            **self.otp_error_messages,
            "invalid_token": wrong,
            "token_required": wrong,
            "n_failed_attempts": wrong,
            "verification_not_allowed": wrong,
        }

    def _chosen_device(self, user):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def clean_otp(self, user) -> None:
        try:
            super().clean_otp(user)
        except ValidationError:
            # django-axes counts only what authenticate() refuses, and the password was
            # right: report the failed second factor, or codes could be guessed unthrottled.
            credentials = {"username": user.get_username()}
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise


@method_decorator(login_not_required, name="dispatch")  # LoginView is already; say so here.
class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        # Signing in saves last_login and records "signed in": one transaction for both.
        with transaction.atomic():
            return super().form_valid(form)


@require_POST
def staff_logout(request):
    logout(request)  # Flushes the session: a follow-up grant or anything else in it goes too.
    return redirect("login")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page django-axes shows instead of signing in, once this address has failed too
    often for this username (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
