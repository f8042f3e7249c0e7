"""Valid HTML: the W3C validator (vnu, npm `vnu-jar`) finds no errors on any page of eBOK,
anonymous, customer and operator, in Polish and English, including forms showing errors.

Pages are rendered with the Django test client into files and validated in one vnu run.
The test skips (with the reason) only when Java or vnu-jar is missing; `npm ci` installs
vnu-jar and CI has Java."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from tests.html.pages import PAGES, build_site, hidden_inputs, url_of

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _require_tools():
    missing = []
    if shutil.which("java") is None:
        missing.append("java is not installed (apt-get install default-jre-headless)")
    if not VNU.exists():
        missing.append(f"{VNU.relative_to(ROOT)} is missing: run `npm ci` at the repository root")
    if missing:
        reason = "; ".join(missing)
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def render(client: Client, page, site) -> tuple[int, str]:
    url = url_of(page, site)
    if page.post is None:
        response = client.get(url)
    else:
        form_page = client.get(url).content.decode()
        response = client.post(url, {**hidden_inputs(form_page), **page.post})
    return response.status_code, response.content.decode()


def clients_for(site, lang):
    clients = {"anonymous": Client()}
    for role, user in site["users"].items():
        client = Client()
        client.force_login(user)  # operators: the test conftest marks 2FA as passed
        clients[role] = client
    for client in clients.values():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return clients


def test_every_page_is_valid_html(db, tmp_path):
    _require_tools()
    site = build_site()
    files = {}
    problems = []
    for lang in ("pl", "en"):
        clients = clients_for(site, lang)
        for page in PAGES:
            status, html = render(clients[page.role], page, site)
            if status != page.status:
                problems.append(f"{page.name} ({lang}): HTTP {status}, expected {page.status}")
                continue
            path = tmp_path / f"{page.name}.{lang}.html"
            path.write_text(html, encoding="utf-8")
            files[path.as_uri()] = f"{page.name} ({lang}) {url_of(page, site)}"
    assert not problems, "\n".join(problems)
    # The 500 page is rendered by Django without a request: render it the same way.
    for lang in ("pl", "en"):
        with translation.override(lang):
            path = tmp_path / f"server-error.{lang}.html"
            path.write_text(render_to_string("500.html"), encoding="utf-8")
            files[path.as_uri()] = f"server-error ({lang}) 500.html"

    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *sorted(tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu exits 1 when it found errors and always prints a JSON report with its version;
    # anything else means it did not run (the test must not pass silently then).
    assert result.returncode in (0, 1) and '"version"' in result.stderr, (
        f"vnu did not run (exit {result.returncode}):\n{result.stderr[:2000]}"
    )
    messages = json.loads(result.stderr)["messages"]
    # The same mistake on many pages is one line, naming the pages.
    grouped: dict[tuple[str, str], list[str]] = {}
    for m in messages:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            key = (m["message"], " ".join(m.get("extract", "").split())[:160])
            grouped.setdefault(key, []).append(
                f"{files.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}"
            )
    report = [
        f"{message}\n    {extract}\n    on: {'; '.join(where[:6])}"
        + (f" and {len(where) - 6} more" if len(where) > 6 else "")
        for (message, extract), where in grouped.items()
    ]
    assert not grouped, f"vnu found {sum(map(len, grouped.values()))} error(s):\n" + "\n".join(
        report
    )
    assert len(files) == 2 * len(PAGES) + 2
