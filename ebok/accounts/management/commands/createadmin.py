"""Create the first administrator of the back office: the first step after `migrate`.

Without it a fresh installation has nobody who can log in to /obsluga/. Two ways:

    manage.py createadmin                                    # asks login, e-mail, password
    manage.py createadmin --username anna --email anna@example.com
        # prints a one-time link (EBOK_BASE_URL/obsluga/konto/ustaw-haslo/...) to set the
        # password, valid EBOK_SETUP_LINK_HOURS; nothing secret is typed into the shell.

The account gets the "Administrator" role (not Django's superuser: the admin at
/django-admin/ stays for superusers). At the first login the administrator enrols a
TOTP authenticator, as every operator must.
"""

import getpass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from ebok.accounts import operators
from ebok.accounts.models import User


class Command(BaseCommand):
    help = "Create a back-office administrator (interactive, or --username --email: prints a setup link)."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="login of the new administrator")
        parser.add_argument("--email", help="e-mail of the new administrator")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the input, create nothing"
        )

    def handle(self, *args, username=None, email=None, dry_run=False, **options):
        interactive = not (username and email)
        if interactive and not self._has_terminal():
            raise CommandError(
                "No terminal to ask on: give --username and --email (a setup link is printed)."
            )
        if interactive:
            username = username or self._ask("Login: ")
            email = email or self._ask("E-mail: ")
        username, email = self._checked(username, email)
        password = self._ask_password(username, email) if interactive else None
        if dry_run:
            self.stdout.write(f"would create administrator {username} <{email}>")
            return
        user = operators.create_operator(
            username=username,
            email=email,
            roles=[operators.ADMINISTRATOR],
            password=password,
            invite=False,
            via="createadmin",
        )
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created."))
        if password:
            self.stdout.write(
                f"Log in at {settings.EBOK_BASE_URL}/logowanie/ ; the first login asks you to "
                "set up a TOTP authenticator app."
            )
        else:
            self.stdout.write(
                f"Open this one-time link to set the password (valid "
                f"{settings.EBOK_SETUP_LINK_HOURS} h):\n{operators.setup_link(user)}"
            )

    def _has_terminal(self) -> bool:
        import sys

        return sys.stdin.isatty()

    def _ask(self, prompt: str) -> str:
        return input(prompt).strip()

    def _checked(self, username: str, email: str) -> tuple[str, str]:
        username = (username or "").strip()
        email = (email or "").strip()
        if not username:
            raise CommandError("The login must not be empty.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The login {username!r} is taken.")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        return username, email

    def _ask_password(self, username: str, email: str) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first != second:
                self.stderr.write("The passwords differ. Try again.")
                continue
            try:
                password_validation.validate_password(first, User(username=username, email=email))
            except ValidationError as exc:
                for message in exc.messages:
                    self.stderr.write(str(message))
                continue
            return first
        raise CommandError("No acceptable password after three attempts.")
