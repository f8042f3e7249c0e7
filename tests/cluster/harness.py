"""Building blocks of the cluster tests: real processes on loopback, started from the
files in deploy/ exactly as systemd and nginx would read them, and always cleaned up.

Nothing here imports Django settings: every app process gets its environment from
deploy/ebok.env.example with the test's values put over it, as /etc/ebok/ebok.env would.
"""

import contextlib
import email
import email.policy
import ipaddress
import logging
import math
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
VENV_BIN = Path(sys.executable).parent
# What the unit files and the example say, and what the test puts in its place.
UNIT_VENV_BIN = "/opt/ebok/venv/bin/"
ADMIN_DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_HOST = os.environ.get("CLUSTER_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6379"))


def unavailable(reason: str):
    """Skip locally; in CI (CI=true) a missing service is a failure, never a skip."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"cluster test cannot run: {reason}")
    pytest.skip(reason)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except Exception as exc:  # noqa: BLE001 - keep polling, report the last error
            last_error = exc
            result = None
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} ({last_error!r})")


# --- deploy/ files ---------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """An EnvironmentFile as systemd reads it: VAR=value per line, # comments."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not VAR=value: {raw!r}"
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]  # systemd drops the quotes around a value
        values[key.strip()] = value
    return values


def unit_setting(path: Path, key: str) -> str:
    """The value of `key=` in the [Service] section of a systemd unit."""
    section = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line.startswith(f"{key}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{path.name} has no {key}= in [Service]")


def unit_environment(path: Path, runtime_root: Path) -> dict[str, str]:
    """`Environment=` lines of a unit's [Service] section, with its `RuntimeDirectory=`
    made fresh and empty under `runtime_root` (systemd makes it under /run at each
    start and removes it at each stop)."""
    section, values, runtime = None, {}, []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line.startswith("Environment="):
            key, _, value = line.split("=", 1)[1].partition("=")
            values[key] = value
        elif section == "[Service]" and line.startswith("RuntimeDirectory="):
            runtime.append(line.split("=", 1)[1])
    for name in runtime:
        directory = runtime_root / name
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    return {
        key: value.replace("/run/", f"{runtime_root}/", 1) if value.startswith("/run/") else value
        for key, value in values.items()
    }


def unit_command(path: Path, env: dict[str, str], instance: str = "") -> list[str]:
    """ExecStart= of a unit as systemd runs it: %H/%i specifiers, ${VAR} from the
    EnvironmentFile, with the venv of this checkout in place of /opt/ebok/venv."""
    line = unit_setting(path, "ExecStart")
    line = line.replace("%H", "cluster").replace("%i", instance)

    def substitute(match):
        name = match.group(1)
        assert name in env, f"{path.name} uses ${{{name}}}, which the environment file lacks"
        return env[name]

    argv = [re.sub(r"\$\{(\w+)\}", substitute, word) for word in shlex.split(line)]
    assert argv[0].startswith(UNIT_VENV_BIN), argv[0]
    argv[0] = str(VENV_BIN / argv[0][len(UNIT_VENV_BIN) :])
    return argv


def app_environment(overrides: dict[str, str]) -> dict[str, str]:
    """deploy/ebok.env.example with the test's values over it. Every value the example
    leaves as CHANGE-ME or points at example.com must be replaced by the test."""
    example = read_env_file(DEPLOY / "ebok.env.example")
    unknown = set(overrides) - set(example)
    assert not unknown, f"variables missing from deploy/ebok.env.example: {sorted(unknown)}"
    values = {**example, **overrides}
    for key, value in values.items():
        assert "CHANGE-ME" not in value and "example.com" not in value, (
            f"the test must set {key} (the example says {example[key]!r})"
        )
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        **values,
    }


def test_overrides(
    var_dir: Path,
    *,
    database_url: str,
    cache_db: int | None,
    smtp_port: int = 9,
    s3: dict | None = None,
    bind: str = "127.0.0.1:8000",
    base_url: str = "https://127.0.0.1",
    web_workers: int = 2,
) -> dict[str, str]:
    """The values a test writes over deploy/ebok.env.example (its /etc/ebok/ebok.env)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    s3 = s3 or {}
    return {
        "SECRET_KEY": "cluster-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": base_url,
        "EBOK_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        # No CACHE_URL: the database cache (while migrating, Redis is not needed).
        "CACHE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{cache_db}"
        if cache_db is not None
        else "",
        "EBOK_S3_BUCKET": s3.get("bucket", ""),
        "EBOK_S3_ENDPOINT_URL": s3.get("endpoint", ""),
        "EBOK_S3_ACCESS_KEY_ID": s3.get("key", ""),
        "EBOK_S3_SECRET_ACCESS_KEY": s3.get("secret", ""),
        "EBOK_S3_REGION": s3.get("region", ""),
        "EBOK_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": "eBOK <ebok@cluster.test>",
        "EBOK_BIND": bind,
        "EBOK_WEB_WORKERS": str(web_workers),
    }


def render_nginx_site(replacements: list[tuple[str, str]]) -> str:
    """deploy/nginx/ebok.conf with its example values replaced; each must be found."""
    text = (DEPLOY / "nginx" / "ebok.conf").read_text()
    for old, new in replacements:
        assert old in text, f"deploy/nginx/ebok.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return text


# --- processes -------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict
    cwd: Path
    log_path: Path
    popen: subprocess.Popen | None = None
    history: list = field(default_factory=list)

    def start(self):
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - argv built by the test
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a kill takes all its workers
        )
        log.close()
        self.history.append(("started", time.monotonic()))

    def signal_group(self, sig):
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def kill(self):
        """SIGKILL the whole process group (master and workers), as a crash would."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self.history.append(("killed", time.monotonic()))

    def stop(self, timeout: float = 10):
        if self.popen is None or self.popen.poll() is not None:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class ProcessGroup:
    """Every process a test starts, stopped in reverse order whatever happens."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.processes: list[Process] = []

    def start(self, name, argv, env, cwd) -> Process:
        process = Process(name, argv, env, Path(cwd), self.log_dir / f"{name}.log")
        self.processes.append(process)
        process.start()
        return process

    def stop_all(self):
        # SIGTERM to all first (they shut down in parallel), then wait for each in turn.
        for process in reversed(self.processes):
            process.signal_group(signal.SIGTERM)
        for process in reversed(self.processes):
            with contextlib.suppress(Exception):  # cleanup goes on for the others
                process.stop()


def run_checked(argv, env, cwd, timeout=300, what=""):
    result = subprocess.run(  # noqa: S603 - argv built by the test
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{what or argv} failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
            f"{result.stderr[-3000:]}"
        )
    return result


# --- PostgreSQL ------------------------------------------------------------------------


def admin_connection():
    try:
        return psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL at {ADMIN_DATABASE_URL} does not answer: {exc}")


def database_url(name: str) -> str:
    return ADMIN_DATABASE_URL.rsplit("/", 1)[0] + "/" + name


def create_database(name: str, template: str | None = None) -> str:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str):
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


# --- Redis -----------------------------------------------------------------------------


def redis_command(db: int, *args: str) -> bytes:
    """One command on one Redis database (RESP over a socket; no client library needed)."""

    def encode(*words):
        out = f"*{len(words)}\r\n".encode()
        for word in words:
            data = str(word).encode()
            out += b"$%d\r\n%s\r\n" % (len(data), data)
        return out

    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=5) as sock:
        sock.sendall(encode("SELECT", db) + encode(*args))
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    first, second = reply.split(b"\r\n")[:2]
    if not first.startswith(b"+OK") or second.startswith(b"-"):
        raise AssertionError(f"Redis {args}: {reply!r}")
    return second


def redis_flush(db: int):
    try:
        redis_command(db, "FLUSHDB")
    except OSError as exc:
        unavailable(f"Redis at {REDIS_HOST}:{REDIS_PORT} does not answer: {exc}")


# --- SMTP sink -------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server (aiosmtpd) in a thread that records every message it accepts."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.delay = delay
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                {
                    "message_id": str(message["Message-ID"]),
                    "to": list(envelope.rcpt_tos),
                    "subject": str(message["Subject"]),
                }
            )
        return "250 OK"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["message_id"] for m in self.messages]


# --- TLS -------------------------------------------------------------------------------


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


# --- HTTP clients with their own source address ----------------------------------------


class SourceAddressAdapter(HTTPAdapter):
    """Connections leave from `source` (any 127.x.y.z is local on Linux loopback), so
    nginx sees each simulated client at its own address."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def plain_session() -> requests.Session:
    """A session that ignores the environment (REQUESTS_CA_BUNDLE would replace the test's
    own certificate authority; HTTP(S)_PROXY must not catch loopback traffic)."""
    session = requests.Session()
    session.trust_env = False
    return session


def client(source: str, ca_file: Path) -> requests.Session:
    session = plain_session()
    adapter = SourceAddressAdapter(source, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.verify = str(ca_file)
    return session


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    assert match, f"no field {name!r} in the page"
    return match.group(1)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]
