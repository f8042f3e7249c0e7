import fcntl
import os

import pytest

from tests.deploy.procs import prepare, production_env


@pytest.fixture(scope="session")
def prepared_site(tmp_path_factory):
    """A migrated SQLite database and collected static files, copied by each test.

    Made once per test run (migrate and collectstatic cost ~35 s of CPU): under
    pytest-xdist the first worker that needs it makes it in the run's shared temporary
    directory while the others wait on a file lock, then every worker reuses it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # basetemp/popen-gwN: the parent is shared by the workers
    template = root / "prepared-site"
    with open(root / "prepared-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "prepared").exists():
            template.mkdir(exist_ok=True)
            prepare(production_env(template, STATIC_ROOT=str(template / "static")))
            (template / "prepared").touch()
    return template
