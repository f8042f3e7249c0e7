"""The files in deploy/ hold together without starting anything (the cluster test runs
them for real): the environment file means the same to systemd and to `sh`, and names
only variables the settings or the units read; the nginx site overwrites
X-Forwarded-For and never repeats a POST on another node."""

import re
import subprocess

from tests.cluster import harness

EXAMPLE = harness.DEPLOY / "ebok.env.example"
UNITS = [
    harness.DEPLOY / "systemd" / "ebok-web.service",
    harness.DEPLOY / "systemd" / "ebok-worker@.service",
]


def test_the_environment_file_means_the_same_to_systemd_and_to_a_shell():
    # docs/deployment.md runs management commands with `set -a; . /etc/ebok/ebok.env`.
    shell = subprocess.run(
        ["env", "-i", "sh", "-c", f'set -a; . "{EXAMPLE}"; set +a; env -0'],
        capture_output=True,
        check=True,
    )
    from_shell = dict(
        item.split("=", 1) for item in shell.stdout.decode().split("\0") if "=" in item
    )
    for key, value in harness.read_env_file(EXAMPLE).items():
        assert from_shell.get(key) == value, key


def test_quoted_values_lose_their_quotes_as_systemd_reads_them():
    values = harness.read_env_file(EXAMPLE)

    assert values["DEFAULT_FROM_EMAIL"] == "eBOK <ebok@example.com>"


def test_every_variable_in_the_example_is_read_by_the_settings_or_a_unit():
    settings = (harness.REPO / "ebok" / "settings.py").read_text()
    units = " ".join(unit.read_text() for unit in UNITS)
    for key in harness.read_env_file(EXAMPLE):
        known = f'"{key}"' in settings or f"${{{key}}}" in units or key == "DJANGO_SETTINGS_MODULE"
        assert known, f"{key} in deploy/ebok.env.example is read by nothing"


def test_the_units_start_programs_of_the_venv_with_variables_of_the_example():
    env = harness.read_env_file(EXAMPLE)

    web = harness.unit_command(UNITS[0], env)
    worker = harness.unit_command(UNITS[1], env, instance="2")

    assert web[:2] == [str(harness.VENV_BIN / "gunicorn"), "ebok.wsgi"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:8000"
    assert worker[:2] == [str(harness.VENV_BIN / "django-admin"), "db_worker"]
    assert worker[worker.index("--worker-id") + 1] == "cluster-2"  # %H-%i


def test_nginx_overwrites_x_forwarded_for_and_never_repeats_a_post():
    site = (harness.DEPLOY / "nginx" / "ebok.conf").read_text()
    directives = [line.split("#")[0].strip() for line in site.splitlines()]

    assert "proxy_set_header X-Forwarded-For $remote_addr;" in directives
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives
    assert not any("proxy_add_x_forwarded_for" in d for d in directives)  # no appending
    retry = [d for d in directives if d.startswith("proxy_next_upstream ")]
    assert retry == ["proxy_next_upstream error timeout http_502 http_503;"]
    assert not any("non_idempotent" in d for d in directives)
    servers = [d for d in directives if re.match(r"server \S+:\d+ ", d)]
    assert servers and all("max_fails=" in d and "fail_timeout=" in d for d in servers)
