"""Two task workers on one PostgreSQL queue: every task runs once, every mail goes out once.

The workers are started exactly as deploy/systemd/ebok-worker@.service says (instances 1
and 2); mail goes to a real SMTP server (aiosmtpd) that takes 30 ms per message, so both
workers are busy at the same time; half of the mail is queued while they run.
"""

import re
from collections import Counter

import pytest

from tests.cluster import harness

MAILS_PER_BATCH = 60

QUEUE_MAILS = """
from django.db import transaction
from ebok.core.mail import send_outgoing_email
from ebok.core.models import OutgoingEmail
for n in range({count}):
    # What queue_mail does after rendering: the row and its task in one transaction.
    with transaction.atomic():
        message = OutgoingEmail.objects.create(
            to=[f"klient{{n}}@cluster.test"], subject=f"{batch} {{n}}", body="Treść"
        )
        send_outgoing_email.enqueue(message.pk)
"""


@pytest.fixture
def sink():
    sink = harness.SmtpSink(delay=0.03).start()
    yield sink
    sink.stop()


def _queue(env, cwd, batch, count=MAILS_PER_BATCH):
    code = QUEUE_MAILS.format(count=count, batch=batch)
    harness.run_checked(
        [str(harness.VENV_BIN / "django-admin"), "shell", "-c", code], env, cwd, what="queue mail"
    )


def test_two_workers_send_every_queued_mail_exactly_once(fresh_database, sink, cluster_dir):
    var_dir = cluster_dir / "workers"
    env = harness.app_environment(
        harness.test_overrides(
            var_dir, database_url=fresh_database, cache_db=5, smtp_port=sink.port
        )
    )
    harness.redis_flush(5)
    unit = harness.DEPLOY / "systemd" / "ebok-worker@.service"
    processes = harness.ProcessGroup(var_dir)
    try:
        _queue(env, var_dir, "przed")
        for instance in ("1", "2"):
            processes.start(
                f"worker-{instance}", harness.unit_command(unit, env, instance), env, var_dir
            )
        _queue(env, var_dir, "w trakcie")  # while both workers are taking tasks

        total = 2 * MAILS_PER_BATCH

        def all_sent():
            for process in processes.processes:
                assert process.running(), f"{process.name} exited:\n{process.tail()}"
            rows = harness.query(
                fresh_database, "SELECT count(*) FROM core_outgoingemail WHERE status = 'sent'"
            )
            return rows[0][0] == total

        harness.wait_for(all_sent, timeout=120, what=f"{total} mails sent")
    finally:
        processes.stop_all()

    ids = sink.message_ids()
    outbox = {pk for (pk,) in harness.query(fresh_database, "SELECT id FROM core_outgoingemail")}
    sent_pks = [int(re.match(r"<ebok\.outgoing\.(\d+)\.", mid).group(1)) for mid in ids]
    assert len(ids) == total  # 120 deliveries for 120 queued messages
    assert Counter(sent_pks) == Counter(outbox)  # each outbox row exactly once

    tasks = harness.query(
        fresh_database,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
        ("%send_outgoing_email",),
    )
    assert len(tasks) == total
    assert {status for status, _ in tasks} == {"SUCCESSFUL"}
    assert all(len(workers) == 1 for _, workers in tasks)  # no task was claimed twice
    per_worker = Counter(workers[0] for _, workers in tasks)
    # Both workers really worked in parallel (the unit names them %H-%i).
    assert set(per_worker) == {"cluster-1", "cluster-2"}
    assert min(per_worker.values()) >= 10
    print(f"\ntask workers: {dict(per_worker)} tasks, {len(ids)} mails, each once")
