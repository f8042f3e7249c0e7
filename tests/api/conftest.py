import pytest

from ebok.integration.models import ApiKey


@pytest.fixture
def import_key(db):
    _key, raw = ApiKey.generate("System rozliczeń", [ApiKey.Scope.IMPORT])
    return raw


@pytest.fixture
def export_key(db):
    _key, raw = ApiKey.generate("System obiegu dokumentów", [ApiKey.Scope.EXPORT])
    return raw


@pytest.fixture
def api(client):
    """POST/GET JSON to the API with an optional key in the Authorization header."""

    class Api:
        def post(self, path, data, key=None, **extra):
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            return client.post(
                path, data, content_type="application/json", headers=headers, **extra
            )

        def get(self, path, key=None, **extra):
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            return client.get(path, headers=headers, **extra)

    return Api()
