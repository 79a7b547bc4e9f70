"""The broker-outage guarantee: a user's action commits even when Redis is down, and its e-mails follow later, once."""

import time
from contextlib import contextmanager

from django.core import mail
from django.urls import reverse

from config import celery_app
from forms.models import Application
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage
from workflow.services import submissions_waiting_routing
from workflow.tasks import drain_outbox, route_pending_submissions

UNREACHABLE = "redis://127.0.0.1:1/0"


@contextmanager
def unreachable_broker():
    """Celery really publishing (not eager) to a Redis nobody listens on; everything is set back after.

    The app caches its connection and producer pools, built from the broker URL
    the first time they are used, so they are reset here and restored on exit.
    """
    conf, amqp = celery_app.conf, celery_app.amqp
    saved = conf.task_always_eager, conf.broker_url, celery_app._pool, amqp._producer_pool
    conf.task_always_eager, conf.broker_url = False, UNREACHABLE
    celery_app._pool = amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, celery_app._pool, amqp._producer_pool = saved


def test_it_fails_fast_when_the_broker_is_down(db):
    """The settings make a publish to a dead broker give up at once instead of retrying for minutes."""
    assert celery_app.conf.task_publish_retry is False
    assert celery_app.conf.broker_transport_options["max_retries"] == 0
    with unreachable_broker():
        started = time.monotonic()
        try:
            drain_outbox.delay()
        except Exception as exc:
            error = exc
        else:
            error = None
        elapsed = time.monotonic() - started
    assert error is not None, "publishing to an unreachable broker should raise"
    assert elapsed < 5


def test_it_commits_a_submission_during_a_broker_outage_and_mails_it_once_after(
    client, draft, applicant, colleague, manager, django_capture_on_commit_callbacks
):
    colleague.language = "en"
    colleague.save(update_fields=["language"])
    client.force_login(applicant)

    with unreachable_broker():
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(reverse("forms:submit", args=[draft.pk]))
        elapsed = time.monotonic() - started

    # The submission went through, quickly: frozen, its handing to screening left for later.
    assert response.status_code == 302
    assert elapsed < 5
    assert len(callbacks) == 1  # the routing task, which the broker could not take
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED and draft.submitted_at is not None
    assert active_task(application=draft, node=ApplicationFlow.draft) is not None
    assert active_task(application=draft, node=ApplicationFlow.screen) is None
    assert submissions_waiting_routing() == [draft.pk]
    assert mail.outbox == []

    # The beat's catch-up runs in a worker while the broker is still down for publishing:
    # screening gets it, and the worker sends the e-mails itself after commit (no task to publish),
    # each once, in its recipient's language.
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True):
        assert route_pending_submissions() == 1
    assert active_task(application=draft, node=ApplicationFlow.screen) is not None
    assert active_task(application=draft, node=ApplicationFlow.draft) is None
    assert submissions_waiting_routing() == []
    messages = list(OutboxMessage.objects.filter(application=draft).select_related("recipient"))
    assert sorted(m.recipient.email for m in messages) == sorted([applicant.email, colleague.email, manager.email])
    assert {m.kind for m in messages} == {"submitted"}
    assert all(m.sent_at is not None and m.last_error == "" for m in messages)
    assert sorted(email.to[0] for email in mail.outbox) == sorted([applicant.email, colleague.email, manager.email])
    english = next(email for email in mail.outbox if email.to == [colleague.email])
    assert english.subject == f"Application received: {draft.title}"
    assert draft.title in english.body

    # The broker is back (eager again): a second catch-up and the drain find nothing left.
    assert route_pending_submissions.delay().get() == 0
    assert drain_outbox.delay().get() == 0
    assert len(mail.outbox) == 3
    assert set(OutboxMessage.objects.filter(application=draft).values_list("attempts", flat=True)) == {1}


def test_an_action_of_a_request_during_an_outage_keeps_its_mail_for_the_drain(
    draft, applicant, manager, django_capture_on_commit_callbacks
):
    """Outside a worker the e-mails go to Celery: with the broker down they wait, with its error."""
    from workflow.notifications import notify

    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True):
        notify(kind="submitted", recipients=[applicant, manager], application=draft)
    messages = list(OutboxMessage.objects.filter(application=draft))
    assert len(messages) == 2 and mail.outbox == []
    assert all(m.sent_at is None and "127.0.0.1:1" in m.last_error for m in messages)
    assert drain_outbox.delay().get() == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted([applicant.email, manager.email])


def test_the_worker_sends_the_mail_of_a_routing_itself_after_commit(
    client, draft, applicant, manager, with_a_broker, django_capture_on_commit_callbacks, monkeypatch
):
    """No second task: the worker that hands the submission to screening sends its e-mails."""
    from workflow import tasks

    published = []
    monkeypatch.setattr(tasks.send_outbox_messages, "delay", lambda *args: published.append(args))
    client.force_login(applicant)
    with with_a_broker():
        client.post(reverse("forms:submit", args=[draft.pk]))
    with with_a_broker(), django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.route_submission(draft.pk) is True
    assert mail.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert published == []
    assert sorted(email.to[0] for email in mail.outbox) == sorted([applicant.email, manager.email])
    assert not OutboxMessage.objects.filter(application=draft, sent_at__isnull=True).exists()


def test_it_leaves_celery_as_it_found_it(db):
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    with unreachable_broker():
        assert celery_app.conf.broker_url == UNREACHABLE
    assert (celery_app.conf.task_always_eager, celery_app.conf.broker_url) == (eager, broker)
    # Eager tasks still run (they borrow a producer from the restored pool).
    assert drain_outbox.delay().get() == 0


def test_one_task_sends_the_messages_of_one_action_each_once(draft, applicant, colleague, manager):
    from workflow.notifications import notify
    from workflow.tasks import send_outbox_messages

    messages = notify(kind="submitted", recipients=[applicant, colleague, manager, applicant], application=draft)
    pks = [m.pk for m in messages]
    assert len(pks) == 3  # one per person
    assert send_outbox_messages.delay(pks).get() == 3
    assert send_outbox_messages.delay(pks).get() == 0
    assert sorted(e.to[0] for e in mail.outbox) == sorted([applicant.email, colleague.email, manager.email])


def test_the_messages_of_one_action_go_out_in_a_fixed_number_of_queries(
    draft, applicant, colleague, manager, django_assert_num_queries
):
    from tests import factories as f
    from workflow.notifications import notify, outbox_send_many

    few = [m.pk for m in notify(kind="submitted", recipients=[applicant, colleague], application=draft)]
    others = [f.make_user(email=f"membre{i}@carrefour.example", role="applicant") for i in range(6)]
    many = [m.pk for m in notify(kind="submitted", recipients=[manager, *others], application=draft)]
    # SAVEPOINT, the messages with their recipients and application (locked), the one UPDATE, RELEASE
    with django_assert_num_queries(4):
        assert outbox_send_many(few) == 2
    with django_assert_num_queries(4):
        assert outbox_send_many(many) == 7
    assert len(mail.outbox) == 9


def test_a_message_that_cannot_be_sent_keeps_its_error_and_the_others_go_out(
    draft, applicant, colleague, manager, monkeypatch
):
    from workflow import notifications

    real = notifications._deliver

    def deliver(message, connection):
        if message.recipient_id == colleague.pk:
            raise OSError("mailbox unavailable")
        real(message, connection)

    monkeypatch.setattr(notifications, "_deliver", deliver)
    pks = [
        m.pk
        for m in notifications.notify(kind="submitted", recipients=[applicant, colleague, manager], application=draft)
    ]
    assert notifications.outbox_send_many(pks) == 2
    assert sorted(e.to[0] for e in mail.outbox) == sorted([applicant.email, manager.email])
    failed = OutboxMessage.objects.get(pk__in=pks, recipient=colleague)
    assert (failed.sent_at, failed.attempts, failed.last_error) == (None, 1, "mailbox unavailable")
    assert OutboxMessage.objects.filter(pk__in=pks, sent_at__isnull=False, attempts=1).count() == 2
    monkeypatch.setattr(notifications, "_deliver", real)
    assert drain_outbox.delay().get() == 1  # the catch-up sends it, once
    assert notifications.outbox_send_many(pks) == 0
    assert len(mail.outbox) == 3


def test_a_mail_server_that_cannot_be_reached_leaves_each_message_with_its_error(draft, applicant, manager, settings):
    from workflow.notifications import notify, outbox_send_many

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    pks = [m.pk for m in notify(kind="submitted", recipients=[applicant, manager], application=draft)]
    assert outbox_send_many(pks) == 0
    failed = OutboxMessage.objects.filter(pk__in=pks)
    assert [(m.sent_at, m.attempts, bool(m.last_error)) for m in failed] == [(None, 1, True), (None, 1, True)]
