"""Create an API key for an integration from the command line (for scripted setups
where nobody opens the back office). The key is printed once and stored only hashed."""

from django.core.management.base import BaseCommand, CommandError

from ebok.core.audit import log_action
from ebok.integration.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key (printed once) for an integration."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who uses the key, e.g. 'billing system'")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiKey.Scope.values,
            required=True,
            help="import and/or export; repeat for both",
        )

    def handle(self, *args, name, scope, **options):
        if not name.strip():
            raise CommandError("The name must not be empty.")
        key, raw = ApiKey.generate(name.strip(), scope)
        log_action(
            "integration.api_key.created", obj=key, data={"scopes": key.scopes, "via": "command"}
        )
        self.stdout.write(
            f"Created API key #{key.pk} '{key.name}' with scopes {', '.join(key.scopes)}."
        )
        self.stdout.write("Store it now, it is not shown again:")
        self.stdout.write(raw)
