"""The accountability PDF of a fund, rendered with WeasyPrint from a Django template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fonds.models import Fund

from .selectors import fund_totals, funded_projects

TEMPLATE = "reporting/accountability.html"


def render_accountability_html(*, fund: Fund, language: str) -> str:
    """The HTML the PDF is made from, in `language` (handy to check the content without a PDF reader)."""
    with translation.override(language):
        context = {
            "fund": fund,
            "funder": fund.funder,
            "projects": funded_projects(fund=fund),
            "totals": fund_totals(fund=fund),
            "today": timezone.localdate(),
            "language": translation.get_language(),
        }
        return render_to_string(TEMPLATE, context)


def render_accountability_pdf(*, fund: Fund, language: str) -> bytes:
    """A tagged PDF (PDF/UA) listing every funded project of `fund`, its amounts, reports and indicators."""
    from weasyprint import HTML  # imported here: loading pango is slow and only workers need it

    html = render_accountability_html(fund=fund, language=language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
