"""Checks of the identifiers and numbers an organisation types in its profile."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NEQ_RE = re.compile(r"^\d{10}$")
POSTAL_CODE_RE = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")
PHONE_RE = re.compile(r"^\+?[\d\s().-]{7,25}(\s*(x|ext\.?|poste)\s*\d{1,6})?$", re.IGNORECASE)


def normalise_neq(value: str) -> str:
    """Drop the spaces and dashes people type inside an NEQ (« 1149 876 501 »)."""
    return re.sub(r"[\s-]", "", value or "")


def validate_neq(value: str) -> None:
    """Ten digits.

    Only the format is checked: the Registraire des entreprises does not publish a
    check-digit rule we could verify, so a well-formed but unassigned number passes.
    """
    if not NEQ_RE.match(value or ""):
        raise ValidationError(
            _("The NEQ has exactly 10 digits, for example 1140000000."), code="invalid_neq", params={"value": value}
        )


def normalise_postal_code(value: str) -> str:
    """« h2x1y4 » → « H2X 1Y4 »."""
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:3]} {compact[3:]}" if len(compact) == 6 else (value or "").strip().upper()


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE_RE.match(value):
        raise ValidationError(_("Enter a Canadian postal code, for example H2X 1Y4."), code="invalid_postal_code")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(
            _("Enter a phone number, for example 450 555-0123 or 450 555-0123 poste 12."), code="invalid_phone"
        )
