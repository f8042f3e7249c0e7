"""Production-like processes for the deployment tests: gunicorn, moto_server.

Every process binds to 127.0.0.1 on a free port, logs to a file under the test's tmp
directory, and is stopped (SIGTERM, then SIGKILL) when the test ends.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

# Variables pytest-env sets for the in-process tests that must not leak into a
# production-like process.
_TEST_ONLY = (
    "DEBUG",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "EBOK_S3_BUCKET",
    "S3_BUCKET",  # its old name, still read
)


# Tests that start their own processes on an SQLite file do not depend on the suite's
# database: they run once, in the SQLite pass (CI runs the suite on SQLite and PostgreSQL).
sqlite_pass_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="starts its own processes on an SQLite file: runs in the SQLite pass of the suite",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(tmp: Path, **extra) -> dict:
    """The environment of a production node: DEBUG unset, secrets and hosts set."""
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY}
    env.update(
        {
            "SECRET_KEY": "deploy-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_URL": "dummymail://",
            "EBOK_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": f"sqlite:///{tmp / 'ebok.sqlite3'}",
            "EBOK_BEHIND_TLS_PROXY": "true",
            "EBOK_TRUSTED_PROXIES": "127.0.0.1",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.deploy.captcha_settings",
        }
    )
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
    return env


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def prepare(env: dict) -> None:
    """What a deployment runs before starting the app: migrate (also creates the cache
    table) and collectstatic (production serves hashed, compressed files). The two
    touch different things, so they run side by side."""
    collectstatic = subprocess.Popen(
        [sys.executable, "-m", "django", "collectstatic", "--noinput"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        manage(env, "migrate", "--noinput")
    finally:
        _out, err = collectstatic.communicate(timeout=300)
    assert collectstatic.returncode == 0, err[-3000:]


def prepared_copy(template: Path, tmp: Path, **extra) -> dict:
    """A production environment in `tmp` starting from a prepared SQLite database and
    static files (made once per test run by the `prepared_site` fixture)."""
    shutil.copy(template / "ebok.sqlite3", tmp / "ebok.sqlite3")
    return production_env(tmp, STATIC_ROOT=str(template / "static"), **extra)


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process exited: {log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=10, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s: {log.read_text()[-3000:]}")


@contextmanager
def running(cmd: list[str], env: dict, log: Path, url: str, timeout: float = 60):
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_http(url, proc, log, timeout)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def gunicorn(env: dict, tmp: Path, workers: int = 2):
    """gunicorn with `workers` sync workers; the access log records each worker's pid."""
    port = free_port()
    access = tmp / "access.log"
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "ebok.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access),
        "--access-logformat",
        "%(p)s %(m)s %(U)s %(s)s",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
    with running(cmd, env, tmp / "gunicorn.log", f"http://127.0.0.1:{port}/zdrowie/") as proc:
        yield f"http://127.0.0.1:{port}", access, proc


@contextmanager
def moto_server(tmp: Path):
    port = free_port()
    cmd = [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY}
    with running(cmd, env, tmp / "moto.log", f"http://127.0.0.1:{port}/") as proc:
        yield f"http://127.0.0.1:{port}", proc


def worker_pids(access_log: Path) -> set[str]:
    return {line.split(" ", 1)[0] for line in access_log.read_text().splitlines() if line}


class Browser:
    """A scripted visitor behind the TLS proxy: the request says https and comes via
    127.0.0.1 with X-Forwarded-For (as nginx sends it), cookies are kept by hand because
    production marks them Secure."""

    def __init__(self, base: str, client_ip: str):
        self.base = base
        self.client_ip = client_ip
        self.session = requests.Session()

    def _headers(self) -> dict:
        return {
            "X-Forwarded-For": self.client_ip,
            "X-Forwarded-Proto": "https",
            "Origin": "https://" + self.base.split("://", 1)[1],
        }

    def _keep_cookies(self):
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, **kw) -> requests.Response:
        response = self.session.get(
            self.base + path, headers=self._headers(), allow_redirects=False, timeout=30, **kw
        )
        self._keep_cookies()
        return response

    def post(self, path: str, data: dict, files=None) -> requests.Response:
        response = self.session.post(
            self.base + path,
            data=data,
            files=files,
            headers=self._headers(),
            allow_redirects=False,
            timeout=30,
        )
        self._keep_cookies()
        return response


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    assert match, f"no field {name} in the page"
    return match.group(1)


def first_option(html: str, select_name: str) -> str:
    block = html.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"', block)[0]


def send_remark(browser: Browser, text: str) -> requests.Response:
    form = browser.get("/uwagi/nowa/")
    assert form.status_code == 200, form.status_code
    html = form.text
    data = {
        "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
        "form_token": hidden_value(html, "form_token"),
        "remark_type": first_option(html, "remark_type"),
        "concerns_address": "ul. Gdańska 12, Bydgoszcz",
        "text": text,
        "contact_name": "Jan Kowalski",
        "email": "jan@example.com",
        "captcha_0": hidden_value(html, "captcha_0"),
        "captcha_1": "PASSED",
    }
    return browser.post("/uwagi/nowa/", data)
