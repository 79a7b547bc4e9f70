"""The committee meeting's decision sheet, rendered with WeasyPrint from a Django template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from fonds.models import Call

from .selectors import decided_applications

TEMPLATE = "reviewers/decision_sheet.html"


def render_decision_sheet_html(*, call: Call, viewer: User, language: str) -> str:
    """The sheet's HTML in `language`: every decided application of the call the viewer may see."""
    with translation.override(language):
        rows, totals = decided_applications(call=call, viewer=viewer)
        context = {
            "call": call,
            "rows": rows,
            "totals": totals,
            "today": timezone.localdate(),
            "language": translation.get_language(),
        }
        return render_to_string(TEMPLATE, context)


def render_decision_sheet_pdf(*, call: Call, viewer: User, language: str) -> bytes:
    """A tagged PDF (PDF/UA) of the decision sheet."""
    from weasyprint import HTML  # imported here: loading pango is slow

    html = render_decision_sheet_html(call=call, viewer=viewer, language=language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
