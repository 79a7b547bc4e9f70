"""Bar charts as inline SVG, drawn in Python: no JavaScript, the same markup on pages and in PDFs.

Each chart is an <svg role="img"> with a <title> and a <desc> that says what it
shows; pages and PDFs also print the figures as a table, so the chart is never
the only way to read them. Colours meet 3:1 contrast against white.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b4f8a", "#b35900", "#2e7d32", "#6a1b9a")
_ids = count(1)


def _number(value) -> float:
    return float(value or 0)


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | float | None]]],
    formatter: Callable[[object], str] = str,
    width: int = 640,
    label_width: int = 190,
    bar_height: int = 12,
) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series, each labelled with its value."""
    uid = f"chart{next(_ids)}"
    peak = max((_number(v) for _name, values in series for v in values if v is not None), default=0) or 1
    plot = width - label_width - 90
    group = bar_height * len(series) + 10
    legend_h = 22
    height = legend_h + group * max(len(categories), 1) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart" '
        f'font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="10">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>',
    ]
    x = label_width
    for n, (name, _values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="13" fill="#1b1b1b">{escape(name)}</text>')
        x += 22 + 7 * len(name)
    for row, category in enumerate(categories):
        top = legend_h + row * group
        label = category if len(category) <= 32 else category[:31] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{top + group / 2}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#1b1b1b">{escape(label)}</text>'
        )
        for n, (_name, values) in enumerate(series):
            value = values[row]
            y = top + n * bar_height
            length = max(_number(value) / peak * plot, 0)
            colour = COLOURS[n % len(COLOURS)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height - 2}" fill="{colour}"/>'
            )
            text = "—" if value is None else formatter(value)
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height / 2}" dominant-baseline="middle" '
                f'fill="#1b1b1b">{escape(text)}</text>'
            )
    parts.append(f'<line x1="{label_width}" y1="{legend_h - 2}" x2="{label_width}" y2="{height}" stroke="#4a4a4a"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
