"""eBOK as a heat company runs it: nginx from deploy/ in front of two gunicorn nodes and
two task workers (started from deploy/systemd), PostgreSQL, Redis, an S3 server and an
SMTP server, all on loopback. Clients reach nginx over TLS, each from its own 127.x
address, while one app node is killed with SIGKILL and restarted.

`make cluster-test` runs it; the report it prints is kept in docs/deployment.md.
"""

import contextlib
import hashlib
import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from ebok.accounts.signals import IP_FAILURES_WINDOW as LOGIN_FAILURE_WINDOW
from ebok.portal.views.remarks import RATE_WINDOW as REMARK_WINDOW
from tests.cluster import harness

DEMO_LOGIN, DEMO_PASSWORD = "demo", "Kaloryfer-2026"
CACHE_DB = 4
BUCKET = "ebok-cluster"
# Load: virtual clients in parallel, journeys before the kill, journeys after the restart.
CLIENTS = int(os.environ.get("CLUSTER_CLIENTS", "4"))
JOURNEYS = int(os.environ.get("CLUSTER_JOURNEYS", "24"))
KILL_AFTER_JOURNEYS = max(2, JOURNEYS // 3)
DOWN_SECONDS = 6
AFTER_RESTART_SECONDS = 15
LOAD_TIME_LIMIT = 240


@dataclass
class Node:
    name: str
    port: int
    process: harness.Process
    env: dict

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, cookies: dict | None = None, **kwargs) -> requests.Response:
        """Straight to this node, past nginx (as nginx would send it)."""
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return harness.plain_session().get(
            self.url(path), headers=headers, allow_redirects=False, timeout=30, **kwargs
        )


@dataclass
class Cluster:
    base_url: str
    http_url: str
    ca_file: Path
    database_url: str
    nodes: dict
    sink: harness.SmtpSink
    s3_endpoint: str
    processes: harness.ProcessGroup
    events: list = field(default_factory=list)
    report: str = ""
    started: float = field(default_factory=time.monotonic)

    def client(self, source: str) -> requests.Session:
        session = harness.client(source, self.ca_file)
        session.headers["Referer"] = self.base_url + "/"
        return session

    def event(self, text: str):
        self.events.append((time.monotonic() - self.started, text))

    def wait_ready(self, node: Node, timeout=90):
        def ready():
            assert node.process.running(), f"{node.name} exited:\n{node.process.tail()}"
            return node.get("/zdrowie/").status_code == 200

        harness.wait_for(ready, timeout, f"{node.name} to answer /zdrowie/")

    def restart(self, node: Node):
        node.process.start()
        self.wait_ready(node)


def _nginx_conf(directory: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = directory / "temp"
    temp.mkdir(exist_ok=True)
    paths = "\n".join(
        f"    {kind}_temp_path {temp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'};\n"
        "events { worker_connections 512; }\n"
        f"http {{\n{paths}\n    include {site};\n}}\n"
    )


@pytest.fixture(scope="module")
def cluster(cluster_dir, migrated_template, nginx_binary, moto_binary):
    started = time.monotonic()
    base = cluster_dir / "cluster"
    base.mkdir()
    var = base / "var"
    processes = harness.ProcessGroup(base)
    db_name = f"ebok_cluster_main_{os.getpid()}"
    database_url = harness.create_database(db_name, template=migrated_template)
    harness.redis_flush(CACHE_DB)
    sink = harness.SmtpSink().start()
    try:
        # S3: a moto server with one private bucket.
        s3_port = harness.free_port()
        processes.start(
            "s3", [moto_binary, "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ), base
        )
        s3_endpoint = f"http://127.0.0.1:{s3_port}"
        s3_http = harness.plain_session()
        harness.wait_for(lambda: s3_http.get(s3_endpoint, timeout=2).ok, 30, "moto_server")
        s3_http.put(f"{s3_endpoint}/{BUCKET}", timeout=10).raise_for_status()
        s3 = {
            "bucket": BUCKET,
            "endpoint": s3_endpoint,
            "key": "cluster-test-key",
            "secret": "cluster-test-secret",
            "region": "us-east-1",
        }

        https_port, http_port = harness.free_port(), harness.free_port()
        base_url = f"https://127.0.0.1:{https_port}"

        def environment(bind):
            overrides = harness.test_overrides(
                var,
                database_url=database_url,
                cache_db=CACHE_DB,
                smtp_port=sink.port,
                s3=s3,
                bind=bind,
                base_url=base_url,
            )
            env = harness.app_environment(overrides)
            if os.environ.get("CLUSTER_STATIC_ROOT"):
                env["STATIC_ROOT"] = os.environ["CLUSTER_STATIC_ROOT"]
            return env

        # One-time steps of a deployment, with the same environment as the services.
        setup_env = environment("127.0.0.1:8000")
        admin = str(harness.VENV_BIN / "django-admin")
        # collectstatic compresses every file (gzip and brotli): the slowest step, so it
        # runs while the demo data is generated. CLUSTER_STATIC_ROOT (a directory an
        # earlier run filled) skips it when working on this test.
        reuse_static = os.environ.get("CLUSTER_STATIC_ROOT")
        if not reuse_static:
            collectstatic = processes.start(
                "collectstatic", [admin, "collectstatic", "--noinput", "-v0"], setup_env, base
            )
        harness.run_checked(
            [admin, "seed_demo", "--customers", "6", "--months", "4"],
            setup_env,
            base,
            what="seed_demo",
        )
        if not reuse_static:
            assert collectstatic.popen.wait(timeout=600) == 0, collectstatic.tail()

        web_unit = harness.DEPLOY / "systemd" / "ebok-web.service"
        worker_unit = harness.DEPLOY / "systemd" / "ebok-worker@.service"
        nodes = {}
        for name in ("a", "b"):
            port = harness.free_port()
            env = {
                **environment(f"127.0.0.1:{port}"),
                **harness.unit_environment(web_unit, var / f"run-{name}"),
            }
            process = processes.start(f"node-{name}", harness.unit_command(web_unit, env), env, var)
            nodes[name] = Node(name, port, process, env)
        for instance in ("1", "2"):
            processes.start(
                f"worker-{instance}",
                harness.unit_command(worker_unit, setup_env, instance),
                setup_env,
                var,
            )

        # nginx: deploy/nginx/ebok.conf with this machine's ports and paths.
        ngx = base / "nginx"
        ngx.mkdir()
        cert, key = harness.self_signed_certificate(ngx)
        site = ngx / "ebok.conf"
        site.write_text(
            harness.render_nginx_site(
                [
                    ("server 10.0.0.11:8000", f"server 127.0.0.1:{nodes['a'].port}"),
                    ("server 10.0.0.12:8000", f"server 127.0.0.1:{nodes['b'].port}"),
                    ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                    ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                    ("server_name ebok.example.com;", "server_name 127.0.0.1;"),
                    ("/etc/ssl/ebok/fullchain.pem", str(cert)),
                    ("/etc/ssl/ebok/privkey.pem", str(key)),
                    ("/var/log/nginx/ebok.access.log", str(ngx / "access.log")),
                    ("/var/log/nginx/ebok.error.log", str(ngx / "ebok-error.log")),
                ]
            )
        )
        conf = ngx / "nginx.conf"
        conf.write_text(_nginx_conf(ngx, site))
        nginx_argv = [nginx_binary, "-p", str(ngx), "-c", str(conf), "-e", str(ngx / "error.log")]
        harness.run_checked([*nginx_argv, "-t"], dict(os.environ), ngx, what="nginx -t")
        processes.start("nginx", [*nginx_argv, "-g", "daemon off;"], dict(os.environ), ngx)

        result = Cluster(
            base_url=base_url,
            http_url=f"http://127.0.0.1:{http_port}",
            ca_file=cert,
            database_url=database_url,
            nodes=nodes,
            sink=sink,
            s3_endpoint=s3_endpoint,
            processes=processes,
            started=started,
        )
        for node in nodes.values():
            result.wait_ready(node)
        probe = result.client("127.0.0.2")
        harness.wait_for(
            lambda: probe.get(f"{base_url}/zdrowie/", timeout=5).status_code == 200, 30, "nginx"
        )
        result.event("cluster up: nginx, 2 app nodes, 2 task workers")
        yield result
    finally:
        processes.stop_all()
        sink.stop()
        harness.drop_database(db_name)
        with contextlib.suppress(OSError, AssertionError):
            harness.redis_command(CACHE_DB, "FLUSHDB")


# --- the journey -----------------------------------------------------------------------


class StepFailed(Exception):
    pass


@dataclass
class Call:
    journey: int
    step: str
    method: str
    start: float
    end: float
    status: int | None
    error: str = ""


@dataclass
class JourneyResult:
    number: int
    source: str
    calls: list = field(default_factory=list)
    failed_step: str = ""
    letter: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)


def _captcha_answer(cluster, hashkey: str) -> str:
    """What a person reads from the picture: the answer stored for the form's key."""
    rows = harness.query(
        cluster.database_url,
        "SELECT response FROM captcha_captchastore WHERE hashkey = %s",
        (hashkey,),
    )
    assert rows, "no CAPTCHA stored for the form's key"
    return rows[0][0]


def run_journey(cluster: Cluster, number: int) -> JourneyResult:
    source = f"127.0.1.{number + 1}"
    result = JourneyResult(number, source)
    session = cluster.client(source)
    base = cluster.base_url

    def call(step, method, path, expect, **kwargs):
        start = time.monotonic()
        try:
            response = session.request(
                method, base + path, allow_redirects=False, timeout=60, **kwargs
            )
        except requests.RequestException as exc:
            result.calls.append(
                Call(number, step, method, start, time.monotonic(), None, repr(exc))
            )
            raise StepFailed(step) from exc
        result.calls.append(
            Call(number, step, method, start, time.monotonic(), response.status_code)
        )
        if response.status_code != expect:
            result.calls[-1].error = f"{response.status_code} (expected {expect})"
            raise StepFailed(step)
        return response

    try:
        page = call("login form", "GET", "/logowanie/", 200)
        response = call(
            "log in",
            "POST",
            "/logowanie/",
            302,
            data={
                "csrfmiddlewaretoken": harness.csrf_token(page.text),
                "username": DEMO_LOGIN,
                "password": DEMO_PASSWORD,
            },
        )
        assert response.headers["Location"] == "/", response.headers["Location"]
        home = call("start page", "GET", "/", 200)
        assert 'action="/wyloguj/"' in home.text, "the start page does not show a logged-in user"
        invoices = call("invoices", "GET", "/faktury/", 200)
        pdf_path = re.search(r'href="(/faktury/\d+/pdf/)"', invoices.text).group(1)
        pdf = call("invoice PDF", "GET", pdf_path, 200)
        assert pdf.content.startswith(b"%PDF"), "the invoice is not a PDF"

        form = call("letter form", "GET", "/pisma/nowe/", 200)
        response = call(
            "send letter",
            "POST",
            "/pisma/nowe/",
            302,
            data={
                "csrfmiddlewaretoken": harness.csrf_token(form.text),
                "form_token": harness.hidden_value(form.text, "form_token"),
                "kind": "incoming",
                "description": f"Pismo z testu klastra nr {number}",
                "body": "Proszę o korektę faktury w załączeniu.",
            },
            files={"attachments": ("faktura.pdf", pdf.content, "application/pdf")},
        )
        letter_path = response.headers["Location"]
        detail = call("letter details", "GET", letter_path, 200)
        result.letter = {
            "path": letter_path,
            "number": re.search(r"PR/\d{4}/\d{2}/\d{5}", detail.text).group(0),
            "attachment": re.search(r'href="(/pisma/zalaczniki/\d+/)"', detail.text).group(1),
            "sha256": hashlib.sha256(pdf.content).hexdigest(),
        }

        form = call("remark form", "GET", "/uwagi/nowa/", 200)
        hashkey = harness.hidden_value(form.text, "captcha_0")
        call(
            "send remark",
            "POST",
            "/uwagi/nowa/",
            302,
            data={
                "csrfmiddlewaretoken": harness.csrf_token(form.text),
                "form_token": harness.hidden_value(form.text, "form_token"),
                "remark_type": re.search(r'<option value="(\d+)"', form.text).group(1),
                "concerns_address": "ul. Ciepłownicza 1, Testowo",
                "text": f"Uwaga z testu klastra nr {number}: grzejnik na klatce jest zimny.",
                "contact_name": "Jan Testowy",
                "email": f"uwaga{number}@cluster.test",
                "captcha_0": hashkey,
                "captcha_1": _captcha_answer(cluster, hashkey),
            },
        )
        result.cookies = session.cookies.get_dict()
        page = call("letters register", "GET", "/pisma/", 200)
        call(
            "log out",
            "POST",
            "/wyloguj/",
            302,
            data={"csrfmiddlewaretoken": harness.csrf_token(page.text)},
        )
    except StepFailed as exc:
        result.failed_step = str(exc)
    except (AssertionError, AttributeError) as exc:  # a page without what a person needs
        result.failed_step = f"{result.calls[-1].step if result.calls else '?'}: {exc!r}"
        if result.calls:
            result.calls[-1].error = result.calls[-1].error or repr(exc)
    return result


# The killed node's listening socket lives until its last worker is gone, which can be a
# few milliseconds after the master is reaped: a connection the kernel accepts into its
# backlog meanwhile is reset with the request already sent, so nginx must not repeat a
# POST on it either (it cannot know the node did not act on it).
SOCKET_GRACE = 0.5


def _in_flight_on_killed_node(call: Call, kill: tuple[float, float]) -> bool:
    """A request the killed node was serving when it died: nginx answers 502 for a POST,
    which it must not repeat on another node (the letter may already be registered).
    A GET in flight is retried on the other node by nginx, so it normally succeeds."""
    sent_before_death = call.start <= kill[1] + SOCKET_GRACE
    answered_after_signal = call.end >= kill[0]
    return call.status in (None, 502) and sent_before_death and answered_after_signal


def test_plain_http_redirects_to_https_and_static_files_are_cached_for_long(cluster):
    plain = cluster.client("127.0.0.3")
    response = plain.get(f"{cluster.http_url}/faktury/", allow_redirects=False, timeout=10)
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/faktury/"

    page = cluster.client("127.0.0.3").get(f"{cluster.base_url}/logowanie/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    css = cluster.client("127.0.0.3").get(
        cluster.base_url + stylesheet, headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    assert css.status_code == 200
    assert "immutable" in css.headers["Cache-Control"]  # a hashed name from collectstatic


def test_metrics_are_read_on_the_nodes_not_through_nginx(cluster):
    outside = cluster.client("127.0.0.4").get(f"{cluster.base_url}/metryki/", timeout=10)
    assert outside.status_code == 404

    for node in cluster.nodes.values():
        scrape = node.get("/metryki/")
        assert scrape.status_code == 200, node.name
        assert "ebok_outgoing_emails" in scrape.text


def test_journeys_survive_an_app_node_killed_mid_load(cluster):
    results: list[JourneyResult] = []
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "kill_at": None, "restart_at": None, "after_restart": 0}
    deadline = time.monotonic() + LOAD_TIME_LIMIT
    victim = cluster.nodes["a"]

    def worker():
        while time.monotonic() < deadline:
            with lock:
                # Go on after the restart for longer than nginx's fail_timeout (10 s), so
                # nginx tries node A again and it serves journeys again.
                enough = (
                    state["next"] >= JOURNEYS
                    and state["restart_at"] is not None
                    and time.monotonic() - state["restart_at"] >= AFTER_RESTART_SECONDS
                    and state["after_restart"] >= CLIENTS
                )
                if enough or state["next"] >= 250:
                    return
                number = state["next"]
                state["next"] += 1
                if state["restart_at"] is not None:
                    state["after_restart"] += 1
            journey = run_journey(cluster, number)
            with lock:
                results.append(journey)
                state["done"] += 1

    def chaos():
        harness.wait_for(lambda: state["done"] >= KILL_AFTER_JOURNEYS, LOAD_TIME_LIMIT, "journeys")
        state["kill_at"] = time.monotonic()
        victim.process.kill()  # the whole group at once; returns when the master is reaped
        state["dead_at"] = time.monotonic()
        cluster.event(
            f"node A (gunicorn master and workers) killed with SIGKILL after {state['done']} "
            f"journeys (gone {1000 * (state['dead_at'] - state['kill_at']):.0f} ms later; "
            f"monotonic clock {state['kill_at']:.3f}, as the calls' start and end)"
        )
        time.sleep(DOWN_SECONDS)
        state["log_offset"] = victim.process.log_path.stat().st_size
        cluster.event("node A restarting")
        cluster.restart(victim)
        state["restart_at"] = time.monotonic()
        cluster.event(
            f"node A back (answers /zdrowie/) after {state['restart_at'] - state['kill_at']:.1f} s"
        )

    load_start = time.monotonic()
    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        chaos_done = pool.submit(chaos)
        for future in [pool.submit(worker) for _ in range(CLIENTS)]:
            future.result()
        chaos_done.result()
    load_seconds = time.monotonic() - load_start

    kill = (state["kill_at"], state["dead_at"])
    calls = [c for r in results for c in r.calls]
    interrupted = [
        r for r in results if r.failed_step and _in_flight_on_killed_node(r.calls[-1], kill)
    ]
    failed = [r for r in results if r.failed_step and r not in interrupted]
    completed = [r for r in results if not r.failed_step]
    latencies = [c.end - c.start for c in calls if c.status is not None]

    # Requests the restarted node served (its access log, written after the restart).
    with victim.process.log_path.open("rb") as log:
        log.seek(state["log_offset"])
        restarted_lines = log.read().decode(errors="replace")
    served_after_restart = len(re.findall(r'"(?:GET|POST) /(?!zdrowie/)', restarted_lines))

    report = [
        "cluster test report",
        f"  set-up: nginx (TLS) -> 2 gunicorn nodes x {victim.env['EBOK_WEB_WORKERS']} workers, "
        "2 db_worker processes, PostgreSQL, Redis, moto S3, SMTP sink",
        f"  load: {len(results)} journeys by {CLIENTS} parallel clients, each from its own "
        f"127.0.1.x address, in {load_seconds:.0f} s ({len(calls)} requests)",
        "  journey: log in, start page, invoices, invoice PDF, letter with a PDF attachment, "
        "letter details, remark with CAPTCHA, letters register, log out",
        f"  completed: {len(completed)}; interrupted in flight on the killed node: "
        f"{len(interrupted)}; failed otherwise: {len(failed)}",
        f"  latency per request: p50 {harness.percentile(latencies, 50) * 1000:.0f} ms, "
        f"p99 {harness.percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms",
        f"  requests served by node A after its restart: {served_after_restart}",
        "  events:",
        *[f"    t+{at:5.1f} s  {text}" for at, text in cluster.events],
    ]
    for journey in failed:
        report.append(
            f"  FAILED journey {journey.number} at {journey.failed_step}: {journey.calls[-1]}"
        )
    for journey in interrupted:
        last = journey.calls[-1]
        report.append(
            f"  interrupted journey {journey.number}: {last.method} {last.step} got "
            f"{last.status or last.error}"
        )
    text = "\n".join(report)
    cluster.report = text
    print("\n" + text)

    assert not failed, text
    assert len(interrupted) <= CLIENTS, text  # at most the requests in flight at the kill
    assert served_after_restart > 0, "nginx never sent a request to the restarted node"

    _check_letters_are_numbered_without_gaps(cluster, completed)
    _check_attachments_download_from_both_nodes(cluster, completed)
    _check_attachments_are_in_the_bucket(cluster, completed)
    _check_every_mail_went_out_exactly_once(cluster)


def _check_letters_are_numbered_without_gaps(cluster, completed):
    rows = harness.query(
        cluster.database_url, "SELECT number FROM letters_letter WHERE number LIKE 'PR/%%'"
    )
    numbers = [number for (number,) in rows]
    assert len(numbers) == len(set(numbers))
    counters = harness.query(
        cluster.database_url,
        "SELECT year, month, last_number FROM core_documentcounter WHERE series = 'PR'",
    )
    for year, month, last in counters:
        prefix = f"PR/{year}/{month:02d}/"
        used = sorted(int(n.rsplit("/", 1)[1]) for n in numbers if n.startswith(prefix))
        assert used == list(range(1, last + 1)), f"{prefix}: {used} with counter at {last}"
    # Every letter a customer was told about exists under that number.
    assert {r.letter["number"] for r in completed} <= set(numbers)


def _check_attachments_download_from_both_nodes(cluster, completed):
    # The journeys logged out; a new session of the same customer reads every attachment
    # straight from each node, whichever node received the upload.
    cookies = _log_in(cluster, "127.0.0.9").cookies.get_dict()
    for journey in completed:
        for node in cluster.nodes.values():
            response = node.get(journey.letter["attachment"], cookies=cookies)
            assert response.status_code == 200, (node.name, journey.letter, response.status_code)
            assert hashlib.sha256(response.content).hexdigest() == journey.letter["sha256"]


def _check_attachments_are_in_the_bucket(cluster, completed):
    listing = harness.plain_session().get(
        f"{cluster.s3_endpoint}/{BUCKET}?list-type=2&max-keys=1000", timeout=10
    )
    keys = re.findall(r"<Key>([^<]+)</Key>", listing.text)
    # One object per uploaded attachment at least (plus stored invoice PDFs).
    assert len(keys) >= len(completed), (
        f"{len(keys)} objects in the bucket for {len(completed)} letters with attachments"
    )


def _check_every_mail_went_out_exactly_once(cluster):
    def settled():
        rows = harness.query(
            cluster.database_url, "SELECT count(*) FROM core_outgoingemail WHERE status = 'pending'"
        )
        return rows[0][0] == 0

    harness.wait_for(settled, 90, "the task workers to send every queued mail")
    outbox = [
        pk for (pk,) in harness.query(cluster.database_url, "SELECT id FROM core_outgoingemail")
    ]
    sent = Counter(
        int(re.match(r"<ebok\.outgoing\.(\d+)\.", mid).group(1))
        for mid in cluster.sink.message_ids()
    )
    assert outbox, "the journeys queued no mail"
    assert sent == Counter(outbox), "a mail was lost or sent twice"
    tasks = harness.query(
        cluster.database_url,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
        ("%send_outgoing_email",),
    )
    assert all(status == "SUCCESSFUL" and len(w) == 1 for status, w in tasks)
    cluster.report += (
        f"\n  mail: {len(outbox)} queued, {sum(sent.values())} delivered to the SMTP sink, "
        f"each Message-ID once; workers: {dict(Counter(w[0] for _, w in tasks))}"
    )
    print(cluster.report.splitlines()[-1])
    path = os.environ.get("CLUSTER_REPORT")
    if path:
        Path(path).write_text(cluster.report + "\n")


def _log_in(cluster, source: str) -> requests.Session:
    session = cluster.client(source)
    page = session.get(f"{cluster.base_url}/logowanie/", timeout=30)
    response = session.post(
        f"{cluster.base_url}/logowanie/",
        data={
            "csrfmiddlewaretoken": harness.csrf_token(page.text),
            "username": DEMO_LOGIN,
            "password": DEMO_PASSWORD,
        },
        allow_redirects=False,
        timeout=30,
    )
    session.last_login_status = response.status_code
    return session


def test_a_session_is_served_by_either_node(cluster):
    session = _log_in(cluster, "127.0.0.10")
    assert session.last_login_status == 302
    cookies = session.cookies.get_dict()

    for node in cluster.nodes.values():
        page = node.get("/faktury/", cookies=cookies)
        assert page.status_code == 200, node.name
        assert 'action="/wyloguj/"' in page.text

    # And through nginx, whichever node answers, ten times in a row.
    for _ in range(10):
        assert (
            session.get(
                f"{cluster.base_url}/faktury/", allow_redirects=False, timeout=30
            ).status_code
            == 200
        )


def _remark(cluster, session) -> int:
    form = session.get(f"{cluster.base_url}/uwagi/nowa/", timeout=30)
    hashkey = harness.hidden_value(form.text, "captcha_0")
    return session.post(
        f"{cluster.base_url}/uwagi/nowa/",
        data={
            "csrfmiddlewaretoken": harness.csrf_token(form.text),
            "form_token": harness.hidden_value(form.text, "form_token"),
            "remark_type": re.search(r'<option value="(\d+)"', form.text).group(1),
            "concerns_address": "ul. Ciepłownicza 2, Testowo",
            "text": "Uwaga o limicie.",
            "contact_name": "Anna Testowa",
            "phone": "600 100 200",
            "captcha_0": hashkey,
            "captcha_1": _captcha_answer(cluster, hashkey),
        },
        allow_redirects=False,
        timeout=30,
    ).status_code


def _start_within_one_window(window: int, needed: float):
    """The limits count in fixed windows (ebok.core.ratelimit: the slot is time // window),
    so a test that must stay inside one window waits for the next when too little is left."""
    left = window - time.time() % window
    if left < needed:
        time.sleep(left + 1)


def test_the_remark_limit_counts_one_client_on_every_node(cluster):
    _start_within_one_window(REMARK_WINDOW, needed=60)
    sender = cluster.client("127.0.0.30")
    statuses = [_remark(cluster, sender) for _ in range(6)]
    # Round robin spreads the six over both nodes; the shared counter refuses the sixth.
    assert statuses == [302, 302, 302, 302, 302, 429]

    other = cluster.client("127.0.0.31")
    assert _remark(cluster, other) == 302  # another address is not affected


def test_failed_logins_block_that_address_but_not_the_others(cluster):
    _start_within_one_window(LOGIN_FAILURE_WINDOW, needed=150)
    attacker = cluster.client("127.0.0.20")
    statuses = []
    for n in range(60):
        page = attacker.get(f"{cluster.base_url}/logowanie/", timeout=30)
        statuses.append(
            attacker.post(
                f"{cluster.base_url}/logowanie/",
                data={
                    "csrfmiddlewaretoken": harness.csrf_token(page.text),
                    "username": f"nieistniejacy{n}",
                    "password": "zle-haslo-123",
                },
                # nginx overwrites this: the attacker cannot pose as another client.
                headers={"X-Forwarded-For": f"127.0.0.{100 + n}"},
                allow_redirects=False,
                timeout=30,
            ).status_code
        )
    assert statuses[0] == 200  # the form again, with an error
    assert statuses[-1] == 429  # the address is blocked
    assert statuses.count(429) >= 25  # EBOK_LOGIN_IP_FAILURE_LIMIT is 30 of the 60

    assert _log_in(cluster, "127.0.0.20").last_login_status == 429  # even the right password
    assert _log_in(cluster, "127.0.0.21").last_login_status == 302  # demo from elsewhere: in

    # The login history names the client nginx saw, never the forged header's addresses.
    history = harness.query(
        cluster.database_url,
        "SELECT ip, success, count(*) FROM accounts_loginevent "
        "WHERE username LIKE 'nieistniejacy%%' OR ip IN ('127.0.0.20', '127.0.0.21') "
        "GROUP BY ip, success",
    )
    by_address = {(str(ip), success): count for ip, success, count in history}
    assert by_address.pop(("127.0.0.21", True)) == 1
    assert by_address.pop(("127.0.0.20", False)) >= 30  # the failures before the block
    assert by_address == {}  # no row with a forged 127.0.0.1xx address
