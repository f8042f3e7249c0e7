import copy

import pytest
from django.core.cache import cache

from tests.conftest import rows_shared_by_tests
from tests.security import permission_matrix as pm


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Rate-limit counters live in the shared cache, which outlives a test's transaction
    when it is not the database: every attack here starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The permission matrix's world (3 customers, a user per role, one object of each
    kind) is built once per test module, not once for each of its ~300 tests."""
    with rows_shared_by_tests(django_db_blocker):
        with django_db_blocker.unblock():
            world = pm.build_world()
        yield world


@pytest.fixture
def world(_module_world, db):
    """The world, its rows as they were built (each test's changes are rolled back)."""
    return copy.deepcopy(_module_world)
