"""Create a staff account from the command line: the first admin on a new install, or
anyone when the admin is unavailable. Prints the authenticator secret once."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from brunswick.access.services import staff_enrol
from brunswick.accounts.models import Role


class Command(BaseCommand):
    help = "Create a staff account with a role, a password and an authenticator (TOTP)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--new-authenticator", action="store_true", help="replace a lost authenticator"
        )

    def handle(self, *args, username, role, email, first_name, last_name, **options):
        new_authenticator = options["new_authenticator"]
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password)
        except ValidationError as error:  # Never expected for 16 random characters.
            raise CommandError(" ".join(error.messages)) from error
        user, secret = staff_enrol(
            username=username,
            role=Role(role),
            password=password,
            new_authenticator=new_authenticator,
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        self.stdout.write(f"{user.username} ({Role(role).label})")
        self.stdout.write(f"  password:    {password}  (ask them to change it)")
        self.stdout.write(
            f"  TOTP secret: {secret}  (add it to their authenticator app, then forget it)"
        )
