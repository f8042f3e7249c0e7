"""Browser tests: pytest-django's live server driven by Playwright in Debian's Chromium.

One browser per session, a fresh context (cookies, viewport, language) per test.
Fixtures: `page`, `login_as(page, user)`, `set_language(page, lang)`, `axe_check(page)`,
`screenshot(page, name)`, `assert_fits_360(page)`.

Chromium comes from Debian (`apt-get install chromium`), never from `playwright
install`. axe-core comes from npm (`npm ci` at the repository root). Locally a missing
Chromium or node_modules skips with the reason; in CI (CI=true) it fails instead.
"""

import importlib
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _missing(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _operator_groups(request):
    """Live-server tests flush the database after each test, and with it the groups
    and permissions that data migrations created (roles, the interruptions permission):
    put them back."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("ebok.accounts.migrations.0002_operator_groups")
    migration.create_groups(apps, None)
    importlib.import_module("ebok.accounts.migrations.0004_operator_roles_and_terms").create_roles(
        apps, None
    )
    importlib.import_module(
        "ebok.interruptions.migrations.0002_manage_interruptions_permission"
    ).grant(apps, None)
    # The flush leaves the cache alone: a cached CompanySettings (or anything else)
    # from the previous test would otherwise show up in this one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="pl-PL"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(live_server):
    """Log `user` in by giving the browser a session cookie (no form, no second factor):
    for tests about what a logged-in user sees. Logging in through the form has its own test."""

    def login(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return login


@pytest.fixture
def set_language(live_server):
    """Choose the interface language as the language switch does (Django's cookie)."""

    def choose(page, lang):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
        )

    return choose


def format_violations(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def _axe_source():
    if not AXE_JS.exists():
        _missing(f"{AXE_JS.relative_to(ROOT)} is missing: run `npm ci` at the repository root")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe_check(_axe_source):
    """Run axe-core on the current page: zero WCAG 2.0/2.1 A and AA violations.

    The script is evaluated through the DevTools protocol, so the page's strict CSP
    stays on (no inline <script> is added to the page)."""

    def check(page, *, exclude=()):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(_axe_source)
        result = page.evaluate(
            """async ([tags, exclude]) => await axe.run(
                   {include: [document], exclude: exclude.map(s => [s])},
                   {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
            [AXE_TAGS, list(exclude)],
        )
        violations = result["violations"]
        assert not violations, (
            f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
        return result

    return check


@pytest.fixture
def screenshot():
    """Save a full-page screenshot to docs/screenshots/<name>.png when EBOK_SCREENSHOTS=1."""

    def shoot(page, name):
        if os.environ.get("EBOK_SCREENSHOTS") != "1":
            return None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def assert_fits_360():
    """At a 360 px wide viewport (a small phone) the page must not scroll sideways."""

    def check(page, *, axe=None):
        """`axe`: the axe_check fixture, to check the narrow layout for violations too."""
        original = page.viewport_size
        page.set_viewport_size({"width": 360, "height": 740})
        try:
            if axe is not None:
                axe(page)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if widths[0] > widths[1]:
                # Elements reaching past the right edge; those inside a scrolling table
                # wrapper are normal, so they are listed only when nothing else is.
                culprits = page.evaluate(
                    """() => {
                         const wide = [...document.querySelectorAll('body *')].filter(
                           e => e.getBoundingClientRect().right > window.innerWidth + 0.5);
                         const outside = wide.filter(e => !e.closest('.table-wrap'));
                         return (outside.length ? outside : wide).slice(0, 5)
                           .map(e => e.outerHTML.slice(0, 120));
                       }"""
                )
                pytest.fail(
                    f"{page.url} scrolls sideways at 360 px (scrollWidth {widths[0]} > "
                    f"{widths[1]}); too wide:\n"
                    + json.dumps(culprits, indent=2, ensure_ascii=False)
                )
        finally:
            page.set_viewport_size(original)

    return check
