from celery import shared_task

from .services import export_render, exports_resume


@shared_task
def render_export(export_pk: int) -> str | None:
    """Render one accountability PDF (see reporting.services.export_render)."""
    export = export_render(export_pk=export_pk)
    return export.status if export is not None else None


@shared_task
def resume_pending_exports() -> int:
    """Celery beat: queue again the exports a broker outage left pending."""
    return exports_resume()


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Celery beat, daily: e-mail the reminders of reports due soon or overdue (see reporting.reminders).

    `today` (ISO date) moves the clock, for tests and for catching up by hand.
    """
    from datetime import date

    from .reminders import reminders_send

    return reminders_send(today=date.fromisoformat(today) if today else None)
