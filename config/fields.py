"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

# Primary keys are 64-bit: a larger number cannot name a row, and SQLite raises
# OverflowError instead of a lookup error when asked for one.
_PK_LIMIT = 2**63


def _out_of_range(value) -> bool:
    try:
        return abs(int(str(value).strip())) >= _PK_LIMIT
    except (TypeError, ValueError):
        return False


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class DecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and infinities as soon as it reads them: a signalling NaN
    ("sNaN") raises on the first comparison, e.g. when a formset asks whether a row changed."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value
