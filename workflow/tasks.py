from celery import shared_task

from .models import OutboxMessage
from .notifications import outbox_send, outbox_send_many
from .services import submission_route, submissions_waiting_routing


@shared_task
def send_outbox_message(message_pk: int) -> bool:
    """One message (what Guichet queued before it queued them by the lot; kept for those still in a queue)."""
    return outbox_send(message_pk=message_pk)


@shared_task
def send_outbox_messages(message_pks: list[int]) -> int:
    """The messages of one action (each sent once: see outbox_send_many); how many this call sent."""
    return outbox_send_many(message_pks)


@shared_task
def drain_outbox(limit: int = 500) -> int:
    """Send what the outbox still holds (after a broker outage, for example)."""
    pending = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=10).values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_send_many(pending[i : i + 50]) for i in range(0, len(pending), 50))


@shared_task
def route_submission(application_pk: int) -> bool:
    """Hand one submitted application to screening (see workflow.services.submission_route)."""
    return submission_route(application_pk=application_pk)


@shared_task
def route_pending_submissions() -> int:
    """Celery beat: hand to screening the submissions a broker outage or a lost task left waiting."""
    return sum(submission_route(application_pk=pk) for pk in submissions_waiting_routing())
