"""Project-wide guards: migrations are complete, every named page answers with one <h1>."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories


def test_no_pending_migrations(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"Model changes without migrations:\n{out.getvalue()}")
        raise exc


def _named_urls_without_arguments():
    names = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return sorted(n for n in names if n.startswith(("portal:", "backoffice:")) and n not in SKIP)


# POST-only endpoints and binary downloads have no page of their own.
SKIP = {
    "portal:logout",
    "portal:customer_switch",
    "portal:logo",
    "portal:privacy_notice",  # the uploaded PDF (404 until an administrator uploads one)
    "backoffice:insight_recompute",  # POST: recompute the tariff-group statistics
}


@pytest.mark.parametrize("name", _named_urls_without_arguments())
def test_every_named_page_answers_with_one_h1(name, client, db):
    customer = factories.make_customer()
    user = factories.make_user(customers=[customer])
    # The Administrator role holds every back-office permission, so every page opens.
    operator = factories.make_operator(role="Administrator")
    client.force_login(operator if name.startswith("backoffice:") else user)
    try:
        url = reverse(name)
    except Exception:  # noqa: BLE001 - a pattern with defaults-only kwargs
        pytest.skip("needs arguments")
    response = client.get(url, follow=True)
    assert response.status_code == 200, (name, response.status_code)
    if response["Content-Type"].startswith("text/html"):
        h1s = re.findall(rb"<h1[\s>]", response.content)
        assert len(h1s) == 1, f"{name} has {len(h1s)} <h1> elements"


def test_anonymous_users_are_sent_to_login_from_customer_pages(client, db):
    response = client.get(reverse("portal:customer"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
