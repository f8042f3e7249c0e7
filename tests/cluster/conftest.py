"""The cluster tests start real services (PostgreSQL database, Redis, an S3 server, nginx,
gunicorn nodes, task workers) and take minutes, so they run with `make cluster-test`
(EBOK_CLUSTER_TEST=1), not inside `make test`; the checks of the deploy/ files that
start nothing run everywhere."""

import os
import shutil

import pytest

from tests.cluster import harness

SERVICE_FIXTURES = {"cluster", "fresh_database", "migrated_template"}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("EBOK_CLUSTER_TEST") == "1":
        return
    skip = pytest.mark.skip(reason="cluster test: run it with `make cluster-test`")
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def cluster_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cluster")


@pytest.fixture(scope="session")
def migrated_template(cluster_dir):
    """An empty, migrated PostgreSQL database each test copies (CREATE DATABASE ...
    TEMPLATE), so `migrate` runs once per session."""
    name = f"ebok_cluster_tpl_{os.getpid()}"
    url = harness.create_database(name)
    try:
        env = harness.app_environment(
            harness.test_overrides(cluster_dir / "migrate", database_url=url, cache_db=None)
        )
        harness.run_checked(
            [str(harness.VENV_BIN / "django-admin"), "migrate", "--noinput", "-v0"],
            env,
            cluster_dir,
            what="migrate",
        )
        yield name
    finally:
        harness.drop_database(name)


@pytest.fixture
def fresh_database(migrated_template, request):
    name = f"ebok_cluster_{request.node.name[:30].lower()}_{os.getpid()}"
    url = harness.create_database(name, template=migrated_template)
    yield url
    harness.drop_database(name)


@pytest.fixture(scope="session")
def nginx_binary():
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if path is None:
        harness.unavailable("nginx is not installed (Debian: apt-get install nginx-light)")
    return path


@pytest.fixture(scope="session")
def moto_binary():
    candidate = harness.VENV_BIN / "moto_server"
    path = str(candidate) if candidate.exists() else shutil.which("moto_server")
    if path is None:
        harness.unavailable("moto_server (pip: moto[server]) is not installed")
    return path
