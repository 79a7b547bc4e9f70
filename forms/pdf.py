"""The applicant's PDF copy of a submitted application, rendered with WeasyPrint in the reader's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Application
from .selectors import application_recap

TEMPLATE = "forms/pdf.html"


def render_application_html(*, application: Application, language: str) -> str:
    """The HTML the PDF is made from, in `language`."""
    with translation.override(language):
        return render_to_string(
            TEMPLATE,
            {
                "application": application,
                "recap": application_recap(application=application),
                "today": timezone.localdate(),
                "language": translation.get_language(),
            },
        )


def render_application_pdf(*, application: Application, language: str) -> bytes:
    """A tagged PDF (PDF/UA) of everything the application held when it was submitted."""
    from weasyprint import HTML  # imported here: loading pango is slow

    html = render_application_html(application=application, language=language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
