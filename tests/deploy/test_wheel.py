"""The package installs: a wheel built from this tree, installed into a fresh virtual
environment outside the checkout, renders the home page with production settings.

The fresh venv gets the wheel only (`--no-deps`); the already-installed dependencies are
made visible by a .pth line pointing at this venv's site-packages (which has eBOK only as
an editable link, not importable from there), so the test needs no network and still
proves that `ebok` is imported from the wheel: templates, static files and the compiled
catalogues must all come from it.
"""

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.deploy.procs import ROOT, production_env, sqlite_pass_only

pytestmark = [pytest.mark.deploy, sqlite_pass_only]

SKIP = {".git", ".venv", "node_modules", "var", "build", "dist", "__pycache__", ".ruff_cache"}

RENDER = r"""
import sys
import django
django.setup()
import ebok
from django.test import Client
print("EBOK", ebok.__file__)
client = Client()
polish = client.get("/", secure=True)
print("STATUS", polish.status_code)
print("PL", "Zaloguj" in polish.content.decode())
english = client.get("/", secure=True, HTTP_ACCEPT_LANGUAGE="en")
print("EN", "Log in" in english.content.decode())
from django.contrib.staticfiles.storage import staticfiles_storage
css = client.get(staticfiles_storage.url("ebok/css/site.css"), secure=True)
print("CSS", css.status_code)
"""


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert result.returncode == 0, (cmd, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def test_the_wheel_contains_the_templates_static_files_and_catalogues(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=lambda d, names: [
            n for n in names if n in SKIP or n.endswith(".egg-info") or n.endswith(".pyc")
        ],
    )
    dist = tmp_path / "dist"
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=source,
    )
    wheel = next(dist.glob("ebok-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ebok/templates/base.html" in names
    assert "ebok/core/static/ebok/css/site.css" in names
    assert "ebok/locale/en/LC_MESSAGES/django.mo" in names
    assert sum(n.endswith(".html") for n in names) > 100

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ]
    )
    site = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip()
    )
    (site / "ebok_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    work = tmp_path / "run"  # not the checkout: nothing of the source tree is on the path
    work.mkdir()
    # The production settings of the installed package; collectstatic hashes and writes
    # the manifest but no gzip/brotli copies (~25 s of CPU; see captcha_settings.py).
    (work / "wheel_settings.py").write_text(
        "from ebok.settings import *  # noqa: F403\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\n"
    )
    env = production_env(
        work, DJANGO_SETTINGS_MODULE="wheel_settings", PYTHONPATH=None, ALLOWED_HOSTS="testserver"
    )
    admin = [str(python), "-m", "django"]
    run([*admin, "migrate", "--noinput"], env=env, cwd=work)
    run([*admin, "collectstatic", "--noinput"], env=env, cwd=work)
    out = run([str(python), "-c", RENDER], env=env, cwd=work)

    lines = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    assert lines["EBOK"].startswith(str(venv)), lines["EBOK"]
    assert lines["STATUS"] == "200"
    assert lines["PL"] == "True"
    assert lines["EN"] == "True"
    assert lines["CSS"] == "200"
