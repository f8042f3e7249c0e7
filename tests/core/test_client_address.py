"""The one client address: X-Forwarded-For counts only when the peer is a trusted proxy,
and then the right-most entry that is not itself a trusted proxy is the client."""

import pytest
from django.test import RequestFactory, override_settings

from ebok.core.audit import client_ip
from ebok.core.clientip import client_address, parse_address, peer_is_trusted


def request_from(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored():
    assert client_address(request_from("198.51.100.7", "10.9.9.9")) == "198.51.100.7"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    # The attacker talks to gunicorn directly and claims to be somebody else.
    assert client_address(request_from("203.0.113.50", "192.0.2.1")) == "203.0.113.50"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_one_trusted_proxy_the_last_header_entry_is_the_client():
    assert client_address(request_from("127.0.0.1", "192.0.2.10")) == "192.0.2.10"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_entries_the_client_wrote_itself_left_of_the_proxys_entry_are_not_believed():
    # The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the real peer.
    assert client_address(request_from("127.0.0.1", "1.1.1.1, 192.0.2.10")) == "192.0.2.10"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    # client 192.0.2.10 -> edge LB 10.0.0.5 -> nginx 10.1.2.3 -> app (peer 127.0.0.1)
    request = request_from("127.0.0.1", "6.6.6.6, 192.0.2.10, 10.0.0.5, 10.1.2.3")
    assert client_address(request) == "192.0.2.10"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_when_every_entry_is_a_trusted_proxy_the_left_most_one_is_the_client():
    assert client_address(request_from("127.0.0.1", "10.0.0.7, 10.0.0.5")) == "10.0.0.7"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_trusted_proxy_without_the_header_is_itself_the_client():
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"


@override_settings(EBOK_TRUSTED_PROXIES=["::1", "2001:db8:ffff::/48"])
def test_ipv6_proxies_and_clients():
    request = request_from("::1", "2001:db8:1::42, 2001:db8:ffff::2")
    assert client_address(request) == "2001:db8:1::42"
    # Untrusted IPv6 peer: header ignored.
    assert client_address(request_from("2001:db8:2::9", "192.0.2.1")) == "2001:db8:2::9"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_bracketed_ipv6_and_addresses_with_ports_are_understood():
    assert client_address(request_from("127.0.0.1", "[2001:db8::5]:4711")) == "2001:db8::5"
    assert client_address(request_from("127.0.0.1", "192.0.2.10:51000")) == "192.0.2.10"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"])
def test_an_ipv4_mapped_ipv6_peer_counts_as_its_ipv4_address():
    assert client_address(request_from("::ffff:127.0.0.1", "192.0.2.10")) == "192.0.2.10"


@override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
@pytest.mark.parametrize(
    "header, expected",
    [
        ("not-an-address", "127.0.0.1"),  # garbage right away: the proxy itself
        ("", "127.0.0.1"),
        (" , ", "127.0.0.1"),
        ("192.0.2.10, unknown", "127.0.0.1"),
        ("unknown, 192.0.2.10", "192.0.2.10"),  # garbage left of the client is never read
        ("192.0.2.10, 10.0.0.5, <script>", "127.0.0.1"),
        ("192.0.2.10, garbage, 10.0.0.5", "10.0.0.5"),  # last trusted hop before garbage
        ("999.1.1.1", "127.0.0.1"),
    ],
)
def test_garbage_in_the_header_never_becomes_the_client_address(header, expected):
    assert client_address(request_from("127.0.0.1", header)) == expected


def test_the_audit_helper_is_the_same_function():
    with override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"]):
        assert client_ip(request_from("127.0.0.1", "192.0.2.10")) == "192.0.2.10"
    assert client_ip(None) is None


@pytest.mark.parametrize("peer", ["", "unix:/run/gunicorn.sock", None])
def test_without_a_usable_peer_address_there_is_no_client_address(peer):
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = peer
    request.META["HTTP_X_FORWARDED_FOR"] = "192.0.2.1"
    with override_settings(EBOK_TRUSTED_PROXIES=["127.0.0.1"]):
        assert client_address(request) is None


def test_parse_address_refuses_host_names():
    assert parse_address("example.com") is None
    assert parse_address(None) is None


@override_settings(EBOK_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_metrics_peers_are_localhost_or_trusted_proxies():
    assert peer_is_trusted(request_from("127.0.0.1"))
    assert peer_is_trusted(request_from("::1"))
    assert peer_is_trusted(request_from("10.4.4.4"))
    assert not peer_is_trusted(request_from("192.0.2.10", "127.0.0.1"))


def test_axes_uses_the_one_helper(settings):
    from axes.helpers import get_client_ip_address

    settings.EBOK_TRUSTED_PROXIES = ["127.0.0.1"]
    assert get_client_ip_address(request_from("127.0.0.1", "192.0.2.33")) == "192.0.2.33"
    assert get_client_ip_address(request_from("192.0.2.34", "1.2.3.4")) == "192.0.2.34"


@pytest.mark.parametrize(
    "variable, value",
    [
        ("EBOK_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("EBOK_TRUSTED_PROXIES", "nginx.local"),
        ("EBOK_LOG_FORMAT", "xml"),
    ],
)
def test_a_wrong_production_setting_stops_the_process_at_start(variable, value):
    import os
    import subprocess
    import sys

    env = {**os.environ, variable: value, "DJANGO_SETTINGS_MODULE": "ebok.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
