"""Staff sign-in: a password and a TOTP code, always."""

from crispy_forms_gds.helper import FormHelper
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice


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
        self.fields["otp_token"].error_messages["required"] = (
            "Enter the code from your authenticator app"
        )
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        wrong = "Enter a correct username, password and authenticator code"
        self.error_messages["invalid_login"] = wrong
        self.otp_error_messages = {
            **self.otp_error_messages,
            "invalid_token": wrong,
            "token_required": self.fields["otp_token"].error_messages["required"],
        }

    def _chosen_device(self, user):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = False


@require_POST
def staff_logout(request):
    logout(request)
    return redirect("login")
