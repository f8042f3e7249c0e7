"""The client's address: the one answer every throttle, lockout, audit row and
login-history row uses.

Without EBOK_TRUSTED_PROXIES the peer address (REMOTE_ADDR) is the client and any
X-Forwarded-For header is ignored: a client talking to gunicorn directly cannot pick its
own address. When the peer is a trusted proxy (nginx in front of the app, or a chain of
load balancers, all listed in EBOK_TRUSTED_PROXIES), the header is read from the right: each
trusted proxy appended the address it received the request from, so the right-most entry
that is not itself a trusted proxy is the first address nobody we trust vouches for —
the client. Entries to its left were written by the client and are never believed.

A header entry that is not an IP address (garbage, "unknown", a host name) stops the walk:
everything left of it may have been forged, so the last trusted hop is taken instead.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _parse_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def trusted_networks() -> tuple[Network, ...]:
    """EBOK_TRUSTED_PROXIES as networks (validated once at start-up by the settings module)."""
    return _parse_networks(tuple(getattr(settings, "EBOK_TRUSTED_PROXIES", ()) or ()))


def parse_address(value: str | None) -> Address | None:
    """An IP address from a header or REMOTE_ADDR entry, or None when it is not one.

    Accepts the forms proxies write: "203.0.113.7", "[2001:db8::1]", "203.0.113.7:5123",
    "[2001:db8::1]:5123"; an IPv4 address mapped into IPv6 counts as the IPv4 address.
    """
    if not value:
        return None
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port; bare IPv6 has at least two colons
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]  # zone id of a link-local IPv6 address
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, networks: tuple[Network, ...] | None = None) -> bool:
    if address is None:
        return False
    networks = trusted_networks() if networks is None else networks
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> str | None:
    """The client's IP address as text, or None without a request."""
    if request is None:
        return None
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    networks = trusted_networks()
    # No usable peer address (a Unix socket without a proxy): None, never a made-up one.
    result = str(peer) if peer is not None else None
    if peer is not None and networks and is_trusted(peer, networks):
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for entry in reversed(header.split(",") if header else []):
            hop = parse_address(entry)
            if hop is None:
                break
            result = str(hop)
            if not is_trusted(hop, networks):
                break
    return result


def peer_is_trusted(request) -> bool:
    """True when the direct peer (not the forwarded client) is localhost or a trusted
    proxy."""
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    return peer is not None and (peer.is_loopback or is_trusted(peer))
