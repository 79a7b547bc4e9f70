"""A real Celery worker, a real Redis broker, a real PostgreSQL database: the accountability PDF and the
handing of a submission to screening, end to end.

Skipped unless REDIS_URL is set and the tests run on PostgreSQL (the worker is
another process: it cannot see SQLite's in-memory test database). Run it with

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m pytest tests/test_celery_worker.py --create-db
"""

import io
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue, pools
from pypdf import PdfReader

from config import celery_app
from forms.models import Application
from reporting.models import AccountabilityExport, Agreement, AgreementYear
from reporting.services import export_request
from tests import factories as f

REDIS_URL = os.environ.get("REDIS_URL", "")

# Skip marks, not pytest.skip() in the body: they act before the transactional database is set up,
# whose teardown flushes the tables (and the reference data) for the tests that follow.
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no broker to start a worker against"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker runs in another process and needs a PostgreSQL test database (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WAIT_SECONDS = 60
ROUTED = ("reporting.tasks.render_export", "workflow.tasks.route_submission", "workflow.tasks.send_outbox_messages")


def database_url() -> str:
    """The URL of the test database (NAME is already test_<name>) for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def publishing_to(broker_url: str, queue: str):
    """Publish for real to `broker_url`, routing Guichet's tasks to `queue`; Celery is set back after."""
    conf, amqp = celery_app.conf, celery_app.amqp
    saved = (conf.task_always_eager, conf.broker_url, conf.task_routes, celery_app._pool, amqp._producer_pool)
    conf.task_always_eager, conf.broker_url = False, broker_url
    conf.task_routes = {name: {"queue": queue} for name in ROUTED}
    celery_app._pool = amqp._producer_pool = None
    amqp._rtable = None  # the routing table and the router are cached: rebuilt from task_routes on next use
    amqp.__dict__.pop("router", None)
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.task_routes, celery_app._pool, amqp._producer_pool = saved
        amqp._rtable = None
        amqp.__dict__.pop("router", None)
        with celery_app.connection_for_write(broker_url) as conn:  # leave no test queue behind in Redis
            bound = Queue(queue, Exchange(queue, type="direct"), routing_key=queue)(conn.default_channel)
            bound.declare()  # the channel only deletes bindings it knows
            bound.delete()
        # kombu keeps a producer pool per broker URL: closed without it, the next test would reuse a dead one.
        pools.reset()


@contextmanager
def celery_worker(*, queue: str, log_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # What the worker publishes itself (the e-mails of a submission it routes) stays on the test queue.
        "CELERY_QUEUE": queue,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "-P", "solo", "-l", "info", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)


def funded_fund(funder_user):
    manager = f.make_user(email="manon@fonds.example", role="fund_manager")
    applicant = f.make_user(email="alice@carrefour.example", role="applicant")
    fund = f.make_fund(managers=[manager], staff=[funder_user], name="Fonds du travailleur")
    call = f.make_call(fund=fund)
    organisation = f.make_organisation(admin=applicant)
    application = Application.objects.create(
        organisation=organisation, call=call, created_by=applicant, title="Jardin communautaire", status="funded"
    )
    agreement = Agreement.objects.create(application=application, signed_on=date(2026, 4, 1))
    AgreementYear.objects.create(agreement=agreement, year=1, amount=Decimal("12500"), report_due_on=date(2027, 4, 1))
    return fund


def test_a_real_worker_renders_the_accountability_pdf(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    funder_user = f.make_user(email="fanny@mrc.example", role="funder")
    fund = funded_fund(funder_user)
    queue = f"guichet-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"

    with celery_worker(queue=queue, log_path=log_path) as worker, publishing_to(REDIS_URL, queue):
        # transaction=True: the request commits for real and its on_commit hook publishes to Redis.
        export = export_request(fund=fund, by=funder_user, language="fr")
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and worker.poll() is None:
            export.refresh_from_db()
            if export.status != AccountabilityExport.Status.PENDING:
                break
            time.sleep(0.5)
        exited = worker.poll()

    log = log_path.read_text(errors="replace")
    assert exited is None, f"the worker stopped early (exit code {exited}):\n{log}"
    assert export.status == AccountabilityExport.Status.READY, f"export {export.status} {export.error}\n{log}"
    assert export.finished_at is not None
    with export.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Jardin communautaire" in text
    assert "12 500 $" in " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_a_real_worker_hands_a_submission_to_screening(transactional_db, settings, tmp_path):
    from workflow.engine import active_task
    from workflow.flows import ApplicationFlow
    from workflow.models import OutboxMessage
    from workflow.services import application_submit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = f.make_user(email="manon@fonds.example", role="fund_manager")
    applicant = f.make_user(email="alice@carrefour.example", role="applicant")
    call = f.make_call(fund=f.make_fund(managers=[manager]))
    draft = f.make_draft(call=call, organisation=f.make_organisation(admin=applicant), by=applicant)
    queue = f"guichet-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"

    with celery_worker(queue=queue, log_path=log_path) as worker, publishing_to(REDIS_URL, queue):
        # transaction=True: the submission commits for real and its on_commit hook publishes to Redis.
        application_submit(application=draft, by=applicant)
        draft.refresh_from_db()
        assert draft.status == Application.Status.SUBMITTED
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and worker.poll() is None:
            if OutboxMessage.objects.filter(application=draft, sent_at__isnull=False).count() == 2:
                break
            time.sleep(0.5)
        exited = worker.poll()

    log = log_path.read_text(errors="replace")
    assert exited is None, f"the worker stopped early (exit code {exited}):\n{log}"
    assert active_task(application=draft, node=ApplicationFlow.screen) is not None, log
    assert active_task(application=draft, node=ApplicationFlow.draft) is None
    sent = OutboxMessage.objects.filter(application=draft, kind="submitted", sent_at__isnull=False)
    assert sorted(sent.values_list("recipient__email", flat=True)) == [applicant.email, manager.email], log
