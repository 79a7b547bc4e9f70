"""Template helpers shared by every page: money in fr-CA/en-CA, translated stored strings."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()


def format_money(value, language: str | None = None, cents: bool = False) -> str:
    """1 234,56 $ in French, $1,234.56 in English (Canadian conventions)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    places = Decimal("0.01") if cents else Decimal("1")
    amount = amount.quantize(places, rounding=ROUND_HALF_UP)
    negative = amount < 0
    text = f"{abs(amount):,.{2 if cents else 0}f}"
    language = (language or get_language() or "fr")[:2]
    if language == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
        text = f"{text}\u00a0$"
    else:
        text = f"${text}"
    return f"-{text}" if negative else text


@register.filter
def money(value, cents=False):
    return format_money(value, cents=bool(cents))


@register.filter
def translate(value):
    """Translate a string stored in the source language (default criteria, for example)."""
    return gettext(value) if value else value


@register.filter
def lines(value) -> list[str]:
    """The non-blank lines of a text, stripped (guiding questions, examples...)."""
    return [line.strip(" -•\t") for line in str(value or "").splitlines() if line.strip(" -•\t")]
