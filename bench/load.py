"""A small bounded load generator: N threads with keep-alive HTTP connections.

Bounded twice: at most `requests` measured requests and at most `duration` seconds,
whichever comes first. Latency is measured per request, from sending to the last byte.
"""

import base64
import hashlib
import hmac
import http.client
import math
import re
import statistics
import struct
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class BenchClient:
    """One HTTP connection that keeps cookies (sent back even when marked Secure)."""

    def __init__(self, host: str, cookies: dict | None = None):
        self.host = host
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection(host, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn's sync workers close idle connections; reconnect once.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.headers, content


def login(host: str, username: str, password: str) -> dict:
    """Log in through the real login form (CSRF included); return the session cookies."""
    client = BenchClient(host)
    status, _headers, content = client.request("GET", "/logowanie/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or not match:
        raise RuntimeError(f"login form not found (HTTP {status})")
    body = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
    )
    status, headers, _content = client.request(
        "POST",
        "/logowanie/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{host}/"},
    )
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login as {username} failed (HTTP {status})")
    return client.cookies


def totp(secret_base32: str, at: float | None = None) -> str:
    """The current six-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret_base32), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def login_operator(host: str, username: str, password: str, totp_secret: str) -> dict:
    """Log in as an operator: password, then the second factor's code page."""
    client = BenchClient(host)
    status, _headers, content = client.request("GET", "/logowanie/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{host}/"}
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    status, response_headers, _content = client.request(
        "POST", "/logowanie/", body=body, headers=headers
    )
    location = response_headers.get("Location", "")
    # The login sends an operator on to the back office, which asks for the code first.
    for _hop in range(3):
        if status != 302 or "/logowanie/kod/" in location:
            break
        status, response_headers, _content = client.request("GET", location)
        location = response_headers.get("Location", location)
    if "/logowanie/kod/" not in location:
        raise RuntimeError(f"operator login as {username} did not ask for a code (HTTP {status})")
    status, _headers, content = client.request("GET", location)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    body = urlencode({"csrfmiddlewaretoken": token, "token": totp(totp_secret)})
    status, _headers, _content = client.request("POST", location, body=body, headers=headers)
    if status != 302:
        raise RuntimeError(f"the second factor of {username} was refused (HTTP {status})")
    return client.cookies


@dataclass
class LoadResult:
    latencies: list = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    bytes: int = 0
    # Server CPU of each request in µs, as the server measured it (X-Bench-CPU-us).
    cpu_us: list = field(default_factory=list)

    @property
    def cpu_median_us(self) -> float:
        return statistics.median(self.cpu_us) if self.cpu_us else float("nan")

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in ms at percentile p (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000


def run_load(
    host: str,
    path: str,
    cookies: dict | None,
    *,
    requests: int,
    duration: float,
    concurrency: int,
    warmup: int = 10,
) -> LoadResult:
    result = LoadResult()
    lock = threading.Lock()
    remaining = [requests]
    clients = [BenchClient(host, cookies) for _ in range(concurrency)]
    for i in range(warmup):  # fill caches and open connections; not measured
        status, _headers, content = clients[i % concurrency].request("GET", path)
        if cookies and b'name="password"' in content:
            raise RuntimeError(f"{path} shows the login form: the session was not accepted")

    def worker(client: BenchClient, deadline: float):
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            cpu = None
            try:
                status, headers, content = client.request("GET", path)
                ok = status == 200
                cpu = headers.get("X-Bench-CPU-us")
            except OSError:
                ok, content = False, b""
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    result.latencies.append(elapsed)
                    result.bytes += len(content)
                    if cpu is not None:
                        result.cpu_us.append(int(cpu))
                else:
                    result.errors += 1

    started = time.monotonic()
    deadline = started + duration
    threads = [threading.Thread(target=worker, args=(c, deadline)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - started
    return result
