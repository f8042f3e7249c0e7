"""API-key authentication: ``Authorization: Bearer <key>`` only, never the query string."""

from django.utils import timezone
from ninja.security import HttpBearer

from ebok.integration.models import ApiKey


class ScopeDenied(Exception):
    """A valid key without the scope the operation needs (answered with 403)."""


class ApiKeyAuth(HttpBearer):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request, token):
        key = ApiKey.objects.active().filter(key_hash=ApiKey.digest(token)).first()
        if key is None:
            return None
        if self.scope not in key.scopes:
            raise ScopeDenied
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        request.api_key = key
        return key


import_auth = ApiKeyAuth(ApiKey.Scope.IMPORT)
export_auth = ApiKeyAuth(ApiKey.Scope.EXPORT)
