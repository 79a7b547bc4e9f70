"""Demo content of the application forms: per-call form settings and questions. Idempotent."""

from django.utils import timezone

from .services import call_form_configure, call_question_ensure


def demo_extend(*, result) -> None:
    now = timezone.now()
    open_calls = sorted(
        (c for c in result.calls.values() if c.opens_at <= now < c.closes_at), key=lambda c: (c.closes_at, c.pk)
    )
    for i, call in enumerate(open_calls):
        # The first open call shows every optional part; the others keep the lighter defaults.
        call_form_configure(
            call=call,
            attachments_enabled=i == 0,
            attachments_help="Lettres d'appui des partenaires, dernier rapport annuel." if i == 0 else "",
        )
        call_question_ensure(
            call=call,
            label="Quelles populations le projet rejoint-il?",
            step="project",
            help_text="Par exemple : familles à faible revenu, personnes aînées isolées, jeunes de 12 à 17 ans.",
            max_length=600,
            required=True,
            position=1,
            prefill="populations",
        )
