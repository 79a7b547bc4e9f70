"""The ranking's rows as ready-to-print HTML.

The page lists thousands of applications; per-row template work (variables escaped one by one,
translation blocks, number formatting, URL reversing) would dominate its time. Each row is built
here once, every text from the database escaped with `html.escape`, numbers formatted with the
active language's separators.
"""

from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .selectors import Row


class _Numbers:
    """Fast number and money formatting in the active language (fr: 1 234,56 $ ; en: $1,234.56)."""

    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.french = (get_language() or "fr").startswith("fr")

    def num(self, value, places: int = 2) -> str:
        if value is None:
            return "—"
        text = f"{value:.{places}f}"
        return text.replace(".", self.decimal) if self.decimal != "." else text

    def money(self, value: Decimal) -> str:
        amount = round(Decimal(value))
        text = f"{abs(amount):,d}"
        text = f"{text.replace(',', chr(0xA0))}\u00a0$" if self.french else f"${text}"
        return f"-{text}" if amount < 0 else text

    def field(self, value: Decimal) -> str:
        """An amount as typed in a form field (no grouping, decimals only when there are cents)."""
        return self.num(value, 2 if value != value.to_integral_value() else 0)


def ranking_lines(rows: list[Row], *, can_simulate: bool) -> list[SafeString]:
    """One <tr> per row of the ranking, in order."""
    n = _Numbers()
    marker = 999999999
    detail = reverse("forms:detail", args=[marker]).replace(str(marker), "{}")
    of = _("%(submitted)s of %(assigned)s")
    gap_flag = _("Disagreement (gap %(spread)s)")
    gap = _("gap %(spread)s")
    funded = _("Funded, %(remaining)s left")
    not_funded = escape(_("Not funded"))
    label = _("Simulated amount for %(title)s")
    lines = []
    for row in rows:
        title = escape(row.title)
        reviewers = "<br>".join(f"{escape(c.name)}: {n.num(c.total)} ({n.num(c.z)})" for c in row.reviewers)
        if row.spread is None:
            agreement = ""
        elif row.disagreement:
            agreement = f'<span class="badge warning">{escape(gap_flag % {"spread": n.num(row.spread)})}</span>'
        else:
            agreement = escape(gap % {"spread": n.num(row.spread)})
        if can_simulate:
            amount = (
                f'<input name="amount_{row.pk}" aria-label="{escape(label % {"title": row.title})}" '
                f'inputmode="decimal" size="9" value="{n.field(row.amount)}">'
            )
        else:
            amount = n.money(row.amount)
        simulation = escape(funded % {"remaining": n.money(row.remaining_after)}) if row.funded else not_funded
        submitted = escape(of % {"submitted": row.submitted, "assigned": row.assigned})
        lines.append(
            mark_safe(  # noqa: S308 — every database text above is escaped
                f'<tr id="app-{row.pk}"><td class="num">{row.rank}</td>'
                f'<th scope="row"><a href="{detail.format(row.pk)}">{title}</a><br>'
                f'<span class="muted">{escape(row.organisation)}</span></th>'
                f'<td>{reviewers}<br><span class="muted">{submitted}</span></td>'
                f'<td class="num"><strong>{n.num(row.total)}</strong></td><td class="num">{n.num(row.z)}</td>'
                f'<td>{agreement}</td><td class="num">{n.money(row.requested)}</td>'
                f'<td class="num">{amount}</td><td>{simulation}</td></tr>'
            )
        )
    return lines
