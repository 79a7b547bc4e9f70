"""The accountability data as XLSX workbooks (openpyxl): the same figures as the PDFs, one table per sheet."""

import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fonds.models import Fund
from forms.models import Application

from .figures import figures
from .project import project_overview

MONEY = '#,##0.00 "$"'


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], money: set[int] = frozenset()):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for column in money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = MONEY
    for n, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(n)].width = max(12, min(len(name) + 4, 48))
    sheet.freeze_panes = "A2"
    return sheet


def _save(workbook: Workbook) -> bytes:
    workbook.remove(workbook.worksheets[0])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fund_workbook(*, fund: Fund, year: int | None, language: str) -> bytes:
    """Summary, projects, indicators, territories and kinds of a fund-year (every year when `year` is None)."""
    with translation.override(language):
        data = figures(funds=[fund], year=year)
        workbook = Workbook()
        _sheet(
            workbook,
            _("Summary"),
            [_("Fund"), _("Year"), _("Projects funded"), _("Committed"), _("Disbursed"), _("Reports approved")],
            [
                [
                    fund.name,
                    year or _("All years"),
                    len(data.projects),
                    data.committed,
                    data.disbursed,
                    data.reports_approved,
                ]
            ],
            money={3, 4},
        )
        _sheet(
            workbook,
            _("Projects"),
            [
                _("Organisation"),
                _("Region"),
                _("MRC"),
                _("Call"),
                _("Project"),
                _("Year"),
                _("Committed"),
                _("Disbursed"),
                _("Report"),
            ],  # fmt: skip
            [
                [
                    p.organisation,
                    p.region,
                    p.mrc,
                    p.call,
                    p.title,
                    f"{p.year}/{p.years}",
                    p.committed,
                    p.disbursed,
                    _status(p.report_status),
                ]  # fmt: skip
                for p in data.projects
            ],
            money={6, 7},
        )
        _sheet(
            workbook,
            _("Indicators"),
            [
                _("Organisation"),
                _("Project"),
                _("Indicator"),
                _("Unit"),
                _("Baseline"),
                _("Target"),
                _("Actual"),
                _("Off target"),
                _("Comment"),
            ],  # fmt: skip
            [
                [
                    p.organisation,
                    p.title,
                    i.name,
                    i.unit,
                    i.baseline,
                    i.target,
                    i.actual,
                    _("yes") if i.off_target else "",
                    i.comment,
                ]  # fmt: skip
                for p in data.projects
                for i in p.indicators
            ],
        )
        _sheet(
            workbook,
            _("Territories"),
            [_("Region"), _("MRC"), _("Projects funded"), _("Committed"), _("Disbursed")],
            [[t.region, t.mrc, t.projects, t.committed, t.disbursed] for t in data.by_territory],
            money={3, 4},
        )
        _sheet(
            workbook,
            _("Indicators by kind"),
            [
                _("Unit"),
                _("Indicators"),
                _("Reported"),
                _("On target"),
                _("Sum of targets"),
                _("Sum of actual values"),
                _("Reached (%)"),
            ],  # fmt: skip
            [[k.unit, k.indicators, k.reported, k.on_target, k.target, k.actual, k.reached] for k in data.by_kind],
        )
        return _save(workbook)


def project_workbook(*, application: Application, language: str) -> bytes:
    """Funded years, tranches, indicators per year, spending per year and target changes of one project."""
    with translation.override(language):
        data = project_overview(application=application)
        workbook = Workbook()
        _sheet(
            workbook,
            _("Funded years"),
            [_("Year"), _("Approved amount"), _("Report due"), _("Report")],
            [[y.year, y.amount, y.report_due_on, _status(r.status if r else "")] for y, r in data["years"]],
            money={1},
        )
        _sheet(
            workbook,
            _("Payment tranches"),
            [_("Tranche"), _("Amount"), _("Planned payment date"), _("After the report of year"), _("Released")],
            [
                [
                    t.position,
                    t.amount,
                    t.planned_on,
                    t.after_report_year or _("At signature"),
                    t.released_at.date() if t.released_at else "",
                ]  # fmt: skip
                for t in data["tranches"]
            ],
            money={1},
        )
        _sheet(
            workbook,
            _("Indicators"),
            [
                _("Indicator"),
                _("Unit"),
                _("Baseline"),
                _("Year"),
                _("Target"),
                _("Actual"),
                _("Off target"),
                _("Comment"),
            ],  # fmt: skip
            [
                [
                    t.indicator.name,
                    t.indicator.unit,
                    t.indicator.baseline,
                    y.year,
                    y.target,
                    y.actual,
                    _("yes") if y.off_target else "",
                    y.comment,
                ]  # fmt: skip
                for t in data["tracks"]
                for y in t.years
            ],
        )
        _sheet(
            workbook,
            _("Spending"),
            [_("Year"), _("Budget line"), _("Planned"), _("Spent")],
            [
                [r.year, line.label or _("Project"), line.planned, line.spent]
                for r in data["reports"]
                for line in r.spending.all()
            ],
            money={2, 3},
        )
        _sheet(
            workbook,
            _("Target changes"),
            [
                _("Indicator"),
                _("Year"),
                _("Current target"),
                _("Proposed target"),
                _("Justification"),
                _("Status"),
                _("Comment on the decision"),
            ],  # fmt: skip
            [
                [
                    c.indicator.name,
                    c.year,
                    c.previous_value,
                    c.proposed_value,
                    c.justification,
                    c.get_status_display(),
                    c.decision_comment,
                ]  # fmt: skip
                for c in data["changes"]
            ],
        )
        return _save(workbook)


def _status(status: str) -> str:
    from .models import Report

    return str(dict(Report.Status.choices).get(status, _("Not received yet")))
