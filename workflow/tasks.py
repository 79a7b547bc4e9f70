from celery import shared_task

from .models import OutboxMessage
from .notifications import outbox_send


@shared_task
def send_outbox_message(message_pk: int) -> bool:
    return outbox_send(message_pk=message_pk)


@shared_task
def drain_outbox(limit: int = 500) -> int:
    """Send what the outbox still holds (after a broker outage, for example)."""
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=10).values_list("pk", flat=True)[:limit]
    for pk in list(pending):
        sent += outbox_send(message_pk=pk)
    return sent
