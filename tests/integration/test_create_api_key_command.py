"""`manage.py create_api_key`: a key for scripted setups, printed once, stored hashed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ebok.core.models import AuditLogEntry
from ebok.integration.models import ApiKey

pytestmark = pytest.mark.django_db


def test_it_prints_the_key_once_and_stores_its_hash():
    out = StringIO()

    call_command(
        "create_api_key", "System rozliczeń", "--scope", "import", "--scope", "export", stdout=out
    )

    raw = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert key.key_hash == ApiKey.digest(raw)
    assert key.scopes == ["export", "import"]
    assert AuditLogEntry.objects.filter(action="integration.api_key.created").exists()


def test_a_scope_is_required():
    with pytest.raises(CommandError):
        call_command("create_api_key", "System")


def test_an_unknown_scope_is_refused():
    with pytest.raises(CommandError):
        call_command("create_api_key", "System", "--scope", "admin")
