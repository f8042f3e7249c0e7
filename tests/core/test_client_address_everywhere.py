"""Behind a trusted proxy every request arrives from the proxy; the limits, lockouts, login
history and audit log must still see each client separately (the first outside audit:
80 failed logins from one client blocked `demo` for everybody)."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from ebok.accounts.models import LoginEvent
from ebok.core.audit import log_action
from ebok.core.models import AuditLogEntry
from tests import factories

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture(autouse=True)
def _behind_nginx():
    cache.clear()
    with override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1", "::1"]):
        yield
    cache.clear()


def login(client, username, password, client_address, **extra):
    return client.post(
        "/logowanie/",
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=client_address,
        **PROXY,
        **extra,
    )


def test_many_failed_logins_block_that_client_but_not_another_behind_the_same_proxy(
    client, customer_user, settings
):
    settings.EBOK_LOGIN_IP_FAILURE_LIMIT = 6
    for i in range(6):
        login(client, f"zmyslony{i}", "zle-haslo-1", "192.0.2.20")
    assert login(client, "zmyslony99", "zle-haslo-1", "192.0.2.20").status_code == 429
    # The customer behind the same nginx, from another address, logs in.
    assert login(client, "jan", factories.PASSWORD, "192.0.2.21").status_code == 302


def test_a_forged_header_sent_around_the_proxy_does_not_escape_the_block(client, db, settings):
    settings.EBOK_LOGIN_IP_FAILURE_LIMIT = 3
    for i in range(3):
        client.post(
            "/logowanie/",
            {"username": f"x{i}", "password": "zle-haslo-1"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",  # a new "address" each time
        )
    response = client.post(
        "/logowanie/",
        {"username": "x9", "password": "zle-haslo-1"},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429


def test_the_login_history_records_the_client_not_the_proxy(client, customer_user):
    login(client, "jan", "zle-haslo-1", "192.0.2.30")
    login(client, "jan", factories.PASSWORD, "2001:db8::30")
    assert list(LoginEvent.objects.order_by("id").values_list("success", "ip")) == [
        (False, "192.0.2.30"),
        (True, "2001:db8::30"),
    ]


def test_the_axes_lockout_is_per_login_and_client(client, customer_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "jan", "zle-haslo-1", "192.0.2.40")
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "192.0.2.40"
    # The same login from another client behind the proxy is not locked.
    assert login(client, "jan", factories.PASSWORD, "192.0.2.41").status_code == 302


def test_audit_entries_record_the_client(rf, db):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="192.0.2.50, 10.0.0.1", **PROXY)
    request.user = factories.make_operator(username="op-audit")
    with override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"]):
        log_action("core.test.viewed", request=request)
    assert AuditLogEntry.objects.get().ip == "192.0.2.50"
