"""E-mail notifications through an outbox.

An OutboxMessage row is written in the caller's transaction, so the user's
action and its notification commit together. After commit, we try to hand the
message to Celery; if the broker is down, the row stays unsent and the periodic
`drain_outbox` task sends it once the broker is back.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

log = logging.getLogger(__name__)

# E-mails of the accounts app (sign-up, password reset): sent directly, not through the outbox.
ACCOUNT_KINDS = {"signup_confirm", "signup_confirm_exists", "password_reset", "invitation"}


def notification_kinds() -> set[str]:
    """Every kind with an e-mail template pair under templates/emails/ (account e-mails excluded)."""
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    kinds = {p.name.removesuffix("_subject.txt") for p in folder.glob("*_subject.txt")}
    return {k for k in kinds if (folder / f"{k}.txt").exists()} - ACCOUNT_KINDS


def notify(*, kind: str, recipients, application=None, here: bool = False) -> list[OutboxMessage]:
    """Queue one e-mail per recipient; dispatched to Celery after the transaction commits.

    `here`: sent by this process right after commit instead, for a caller that already runs in a
    worker (handing a submission to screening): no second task to publish, receive and start."""
    # Fail at the call site, in the user's transaction, rather than later in the worker.
    get_template(f"emails/{kind}_subject.txt")
    get_template(f"emails/{kind}.txt")
    # One INSERT for every recipient, one callback after commit for the lot.
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(kind=kind, recipient=user, application=application)
        for user in {u.pk: u for u in recipients if u is not None}.values()
    )
    pks = [message.pk for message in messages]
    if pks:
        transaction.on_commit(lambda: (send_here if here else dispatch)(pks))
    return messages


def send_here(message_pks: list[int]) -> None:
    """Send messages in this process; never raises, the outbox keeps what could not be sent."""
    try:
        outbox_send_many(message_pks)
    except Exception as exc:  # the database gone, say: drain_outbox retries later
        log.warning("could not send outbox messages %s: %s", message_pks, exc)


def dispatch(message_pks: list[int]) -> None:
    """Hand messages to Celery, one task for the lot; never raises, the outbox keeps what could not be queued."""
    from .tasks import send_outbox_messages

    try:
        send_outbox_messages.delay(message_pks)
    except Exception as exc:  # broker outage: drain_outbox retries later
        log.warning("could not queue outbox messages %s: %s", message_pks, exc)
        OutboxMessage.objects.filter(pk__in=message_pks).update(last_error=str(exc)[:1000])


def outbox_send(*, message_pk: int) -> bool:
    """Send one message if still unsent. Returns True when this call sent it."""
    return outbox_send_many([message_pk]) == 1


def outbox_send_many(message_pks: list[int]) -> int:
    """Send those of these messages that are still unsent; how many this call sent.

    One transaction and one mail connection for the lot (the e-mails of one action go together).
    A message another worker holds is skipped: that worker sends it. One that cannot be rendered
    or sent keeps its error and stays unsent for drain_outbox; the others go out."""
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient", "application", "application__organisation", "application__call__fund")
            .filter(pk__in=message_pks, sent_at__isnull=True)
            .order_by("pk")
        )
        if not messages:
            return 0
        sent, failed = [], []
        connection = get_connection()
        try:
            connection.open()
        except Exception as exc:  # each message below tries again, and keeps its own error
            log.warning("could not open the mail connection: %s", exc)
        try:
            for message in messages:
                try:
                    _deliver(message, connection)
                except Exception as exc:
                    failed.append((message.pk, str(exc)[:1000]))
                else:
                    sent.append(message.pk)
        finally:
            connection.close()
        # One UPDATE for what went out (the usual case: the whole batch), one per message that did not.
        tried = OutboxMessage.objects.filter(sent_at__isnull=True)
        if sent:
            tried.filter(pk__in=sent).update(attempts=F("attempts") + 1, sent_at=timezone.now())
        for pk, error in failed:
            tried.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error)
    return len(sent)


def _deliver(message: OutboxMessage, connection) -> None:
    recipient = message.recipient
    context = {"user": recipient, "application": message.application, "site_url": settings.SITE_URL}
    with translation.override(recipient.language or "fr"):
        subject = render_to_string(f"emails/{message.kind}_subject.txt", context).strip()
        body = render_to_string(f"emails/{message.kind}.txt", context)
    EmailMessage(subject, body, None, [recipient.email], connection=connection).send()
