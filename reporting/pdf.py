"""Accountability PDFs (a whole fund, a fund-year, one project), rendered with WeasyPrint from templates.

The charts are inline SVG drawn by reporting.charts; the PDF is tagged (PDF/UA).
"""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fonds.models import Fund
from fonds.templatetags.guichet import format_money
from forms.models import Application

from .charts import bar_chart
from .figures import figures
from .project import project_overview
from .selectors import fund_totals, funded_projects

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
TEMPLATES = {
    "fund": "reporting/accountability.html",
    "fund_year": "reporting/accountability_fund_year.html",
    "project": "reporting/accountability_project.html",
}


def _fund_context(fund: Fund, year: int | None, application: Application | None) -> dict:
    return {"projects": funded_projects(fund=fund), "totals": fund_totals(fund=fund)}


def _fund_year_context(fund: Fund, year: int | None, application: Application | None) -> dict:
    data = figures(funds=[fund], year=year)
    territories = data.by_territory
    kinds = [k for k in data.by_kind if k.reached is not None]
    return {
        "year": year,
        "data": data,
        "territory_chart": bar_chart(
            title=_("Committed and disbursed by MRC"),
            description=_("Amounts in dollars for each MRC where funded organisations are; the table gives them too."),
            categories=[t.mrc for t in territories],
            series=[
                (_("Committed"), [t.committed for t in territories]),
                (_("Disbursed"), [t.disbursed for t in territories]),
            ],
            formatter=format_money,
        )
        if territories
        else "",
        "kind_chart": bar_chart(
            title=_("Indicators by kind: share of the yearly targets reached"),
            description=_("Sum of the actual values over sum of the targets, in percent, for each unit."),
            categories=[k.unit for k in kinds],
            series=[(_("Reached (%)"), [k.reached for k in kinds])],
            formatter=lambda v: f"{v} %",
        )
        if kinds
        else "",
    }


def _project_context(fund: Fund, year: int | None, application: Application | None) -> dict:
    return {"application": application, **project_overview(application=application)}


CONTEXTS: dict[str, Callable] = {"fund": _fund_context, "fund_year": _fund_year_context, "project": _project_context}


def render_accountability_html(
    *, fund: Fund, language: str, kind: str = "fund", year: int | None = None, application: Application | None = None
) -> str:
    """The HTML the PDF is made from, in `language` (handy to check the content without a PDF reader)."""
    with translation.override(language):
        context = {
            "fund": fund,
            "funder": fund.funder,
            "today": timezone.localdate(),
            "language": translation.get_language(),
            "kind": kind,
            **CONTEXTS[kind](fund, year, application),
        }
        return render_to_string(TEMPLATES[kind], context)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of `html` and its number of pages."""
    from weasyprint import HTML  # imported here: loading pango is slow and only workers need it

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def render_accountability_pdf(
    *,
    fund: Fund,
    language: str,
    kind: str = "fund",
    year: int | None = None,
    application: Application | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """A tagged PDF (PDF/UA) of `kind` and its page count; `progress(percent)` is told as it goes."""
    progress = progress or (lambda percent: None)
    html = render_accountability_html(fund=fund, language=language, kind=kind, year=year, application=application)
    progress(40)
    return html_to_pdf(html)
