import pytest

from tests.deploy.procs import prepare, production_env


@pytest.fixture(scope="module")
def prepared_site(tmp_path_factory):
    """A migrated SQLite database and collected static files, copied by each test."""
    template = tmp_path_factory.mktemp("site")
    prepare(production_env(template, STATIC_ROOT=str(template / "static")))
    return template
