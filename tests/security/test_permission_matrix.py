"""Every URL of the project, visited by every kind of visitor (see permission_matrix.py).

The guard test fails for any URL pattern without an entry, so a new page cannot ship
without someone deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import force_login_without_2fa
from tests.security import permission_matrix as pm


def _all_url_names(patterns=None, namespace=None) -> set[str]:
    names = set()
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            if ns in pm.NAMESPACE_ENTRIES:
                names.add(pm.NAMESPACE_ENTRIES[ns])
                continue
            names |= _all_url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {p.pattern}>"
            names.add(f"{namespace}:{name}" if namespace else name)
    return names


def missing_entries(names) -> list[str]:
    return sorted(set(names) - set(pm.MATRIX))


def test_every_url_of_the_project_has_an_entry_in_the_permission_matrix():
    missing = missing_entries(_all_url_names())
    assert not missing, (
        "These URL names have no entry in tests/security/permission_matrix.py MATRIX: "
        + ", ".join(missing)
        + '.\nAdd one per name, e.g. "backoffice:my_page": Entry(pk("letter"), backoffice()) '
        "- how to build its URL arguments and the status each role gets "
        "(see the module docstring)."
    )


def test_the_guard_notices_a_url_without_an_entry():
    assert missing_entries({"portal:home", "backoffice:brand_new_page"}) == [
        "backoffice:brand_new_page"
    ]


def test_the_matrix_names_no_url_that_does_not_exist():
    assert not sorted(set(pm.MATRIX) - _all_url_names())


def _is_api(name: str) -> bool:
    return name.startswith("api-v1:")


def _login_as(client, world, role):
    client.logout()
    if role == pm.ANONYMOUS:
        return
    user = world.users[role]
    if role == pm.OPERATOR_NO_2FA:
        force_login_without_2fa(client, user)
    else:
        client.force_login(user)
    if role == pm.MANAGER:
        session = client.session
        session["ebok_customer_id"] = world.a.pk
        session.save()


def _api_headers(role, scope, world):
    from ebok.integration.models import ApiKey

    if role == pm.NO_KEY:
        return {}
    if scope == "personal" and role == pm.KEY_WITH_SCOPE:
        return {"Authorization": f"Bearer {world['personal_raw']}"}
    scopes = [ApiKey.Scope.IMPORT, ApiKey.Scope.EXPORT]
    if scope and scope != "personal" and scope not in scopes:
        scopes.append(scope)  # e.g. interruptions: a key that has it, and one that has not
    if role == pm.KEY_WITHOUT_SCOPE:
        scopes = [s for s in scopes if s != scope] if scope else []
    _key, raw = ApiKey.generate(f"Klucz {role}", scopes)
    return {"Authorization": f"Bearer {raw}"}


def _request(client, entry, world, url, headers=None):
    data = entry.data(world) if callable(entry.data) else entry.data
    if entry.method == "post":
        if entry.json:
            return client.post(url, data, content_type="application/json", headers=headers)
        return client.post(url, data or {}, headers=headers)
    return client.get(url, headers=headers)


def _everyone_redirected(entry) -> bool:
    return set(entry.expect.values()) == {302}


@pytest.mark.parametrize("name", sorted(pm.MATRIX))
def test_each_role_gets_the_expected_status(client, world, name):
    entry = pm.MATRIX[name]
    url = reverse(name, kwargs=entry.build(world)) + entry.query
    roles = (
        pm.API_ROLES
        if _is_api(name)
        else pm.WEB_ROLES
        + tuple(r for r in pm.OPTIONAL_WEB_ROLES if r in world.users and r in entry.expect)
    )
    wrong = []
    for role in roles:
        if _is_api(name):
            client.logout()
            response = _request(client, entry, world, url, _api_headers(role, entry.scope, world))
        else:
            _login_as(client, world, role)
            response = _request(client, entry, world, url)
        expected = entry.expect[role]
        if response.status_code != expected:
            where = response.get("Location", "")
            wrong.append(f"{role}: {response.status_code} (expected {expected}) {where}")
        elif expected == 302 and not _is_api(name) and not _everyone_redirected(entry):
            where = response["Location"]
            # A protected page sends anonymous visitors to the login page and an operator
            # without 2FA to the code page - nowhere else.
            if role == pm.ANONYMOUS and not where.startswith("/logowanie/?next="):
                wrong.append(f"{role}: redirected to {where}, not to the login page")
            if (
                role == pm.OPERATOR_NO_2FA
                and name.startswith("backoffice:")
                and not where.startswith("/logowanie/kod/?next=")
            ):
                wrong.append(f"{role}: redirected to {where}, not to the code page")
    assert not wrong, f"{entry.method.upper()} {url}\n" + "\n".join(wrong)
