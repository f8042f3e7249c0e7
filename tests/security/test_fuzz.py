"""Finding 9 of the outside audit: hostile values in every form and every filter.

For every page of the permission matrix, as someone who may open it: read the page's
form fields, then let hypothesis post (and put in the query string) long strings, NUL
characters, invalid UTF-8, huge and negative numbers, impossible dates, markup, SQL and
too many files. Whatever comes, the answer is never a server error.
"""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security import permission_matrix as pm
from tests.security.test_permission_matrix import _login_as

HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "\x00",
    "a\x00b",
    "9" * 19,
    "9" * 40,
    "-1",
    "-9223372036854775809",
    "1e308",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "31-12-99999",
    "2026-13-01T25:61",
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "%00%ff",
    "\ud7ff\ufffe\uffff",
    "😀" * 50,
    "../../etc/passwd",
    "on",
    "[]",
    "{}",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))


def _pages():
    """(url name, role) for every GET page some role may open, as the most privileged."""
    order = [pm.ADMINISTRATOR, pm.CUSTOMER_A, pm.ANONYMOUS]
    pages = []
    for name, entry in sorted(pm.MATRIX.items()):
        if name.startswith(("api-v1:", "admin:")) or name in ("portal:logout",):
            continue
        role = next((r for r in order if entry.expect.get(r) in (200, 302)), None)
        if role is not None:
            pages.append((name, role))
    return pages


FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.I)
FILE_FIELD = re.compile(r'<input\b[^>]*type="file"[^>]*\bname="([^"]+)"', re.I)


def _fields(html: str) -> tuple[list[str], list[str]]:
    names = [n for n in dict.fromkeys(FIELD.findall(html)) if n != "csrfmiddlewaretoken"]
    files = list(dict.fromkeys(FILE_FIELD.findall(html)))
    return [n for n in names if n not in files], files


def _too_many_files(n=6):
    return [
        SimpleUploadedFile(f"plik{i}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        for i in range(n)
    ]


@pytest.mark.parametrize(("name", "role"), _pages())
@settings(
    max_examples=6,
    derandomize=True,  # the same examples on every run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_values_never_cause_a_server_error(client, world, name, role, data):
    entry = pm.MATRIX[name]
    if "fuzz" not in world.objects:  # once per test, not per example: stable draws
        url = reverse(name, kwargs=entry.build(world))
        _login_as(client, world, role)
        page = client.get(url)
        assert page.status_code < 500, url
        readable = page.status_code == 200 and not page.streaming  # not a file download
        html = page.content.decode(errors="replace") if readable else ""
        fields, file_fields = _fields(html)
        if isinstance(entry.data, dict):
            fields = list(dict.fromkeys([*fields, *entry.data]))
        world.objects["fuzz"] = (url, fields or ["q", "page", "od", "do", "status"], file_fields)
    url, names, file_fields = world.objects["fuzz"]
    _login_as(client, world, role)
    drawn = {n: data.draw(values, label=n) for n in names}

    query = "&".join(f"{quote(n)}={quote(v, safe='')}" for n, v in drawn.items())
    answer = client.get(f"{url}?{query}")
    assert answer.status_code < 500, (url, drawn)

    post = dict(drawn)
    for f in file_fields:
        post[f] = _too_many_files()
    answer = client.post(url, post)
    assert answer.status_code < 500, (url, drawn)

    # Invalid UTF-8 in the raw body of a form post.
    raw = "&".join(f"{quote(n)}=%ff%fe%80{quote(v[:50], safe='')}" for n, v in drawn.items())
    answer = client.generic(
        "POST", url, raw.encode() + b"&x=\xff\xfe", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code < 500, (url, "invalid utf-8")


def _pages_with_ids():
    """(url name, role, the names of its integer path parameters) for every GET page."""
    pages = []
    for name, role in _pages():
        entry = pm.MATRIX[name]
        if entry.method != "get":
            continue
        pages.append((name, role))
    return pages


@pytest.mark.parametrize(("name", "role"), _pages_with_ids())
def test_an_id_too_large_for_the_database_is_a_404_not_a_server_error(client, world, name, role):
    """An id in the path beyond what a database integer holds (2**63 and more): the page
    is not found, whichever way it is read (ORM or a hand-written statement)."""
    kwargs = pm.MATRIX[name].build(world)
    ints = [key for key, value in kwargs.items() if isinstance(value, int)]
    if not ints:
        return
    _login_as(client, world, role)
    for huge in (2**63, 10**20):
        url = reverse(name, kwargs={**kwargs, **dict.fromkeys(ints, huge)})
        answer = client.get(url)
        assert answer.status_code < 500, url
