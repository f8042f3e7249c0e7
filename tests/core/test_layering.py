"""The import graph keeps the layering of ARCHITECTURE.md: core imports no app, domain
apps never import a front app, front apps never import each other. Imports inside
functions count too: a late import is still a dependency."""

import ast
from pathlib import Path

import ebok

PACKAGE = Path(ebok.__file__).parent
FRONT_APPS = {"portal", "backoffice", "api"}
CORE = "core"


def apps() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} - {"locale"}


def imported_apps(source: str, known: set[str]) -> set[str]:
    """The ebok apps a module's source imports (absolute imports; relative imports stay
    inside their own app by construction)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "ebok":
                names = [f"ebok.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "ebok" and len(parts) > 1 and parts[1] in known:
                found.add(parts[1])
    return found


def violations(app: str, imported: set[str]) -> set[str]:
    imported = imported - {app}
    if app == CORE:
        return imported
    if app in FRONT_APPS:
        return imported & FRONT_APPS
    return imported & FRONT_APPS  # domain apps, integration and demo


def layering_violations() -> list[str]:
    known = apps()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 2 or "migrations" in relative.parts:
            continue
        app = relative.parts[0]
        if app not in known:
            continue
        for target in sorted(violations(app, imported_apps(path.read_text(), known))):
            found.append(f"ebok/{relative} ({app}) imports ebok.{target}")
    return found


def test_no_module_breaks_the_layering():
    assert layering_violations() == [], (
        "Move the shared code down a layer (into core or a domain app's services), "
        "see ARCHITECTURE.md"
    )


def test_the_checker_sees_a_domain_app_importing_a_front_app():
    known = {"core", "billing", "portal", "backoffice"}
    source = "def f():\n    from ebok.portal.views import home\n"
    assert violations("billing", imported_apps(source, known)) == {"portal"}


def test_the_checker_sees_front_apps_importing_each_other_and_core_importing_an_app():
    known = {"core", "billing", "portal", "backoffice"}
    assert violations("portal", imported_apps("import ebok.backoffice.urls", known)) == {
        "backoffice"
    }
    assert violations("core", imported_apps("from ebok import billing", known)) == {"billing"}


def test_the_checker_allows_the_permitted_directions():
    known = {"core", "billing", "customers", "portal"}
    assert violations("portal", imported_apps("from ebok.billing import services", known)) == set()
    assert (
        violations("billing", imported_apps("from ebok.customers.models import C", known)) == set()
    )
