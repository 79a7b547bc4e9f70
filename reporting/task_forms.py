"""Forms of the task pages. They validate input only; the services do the writing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _amount_field(*, year: int, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Year %(year)d") % {"year": year},
        required=required,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter an amount in dollars, for example 12500.")},
    )


class AgreementForm(forms.Form):
    """The approved amount of each funded year; blank years at the end are not funded."""

    signed_on = forms.DateField(
        label=_("Signature date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, max_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_years = max_years
        for year in range(1, max_years + 1):
            self.fields[f"amount_{year}"] = _amount_field(year=year, required=year == 1)

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in range(1, self.max_years + 1)]

    def clean(self):
        data = super().clean()
        amounts = [data.get(f"amount_{year}") for year in range(1, self.max_years + 1)]
        if any(f"amount_{year}" in self.errors for year in range(1, self.max_years + 1)):
            return data
        while amounts and amounts[-1] is None:
            amounts.pop()
        if None in amounts:
            self.add_error(None, _("Fill every year from year 1 to the last funded year."))
        elif not amounts or sum(amounts) <= 0:
            self.add_error("amount_1", _("Enter the amount of at least one year."))
        data["amounts"] = amounts
        return data


class ReportForm(forms.Form):
    """The yearly report: narrative, pérennité update, the actual value of each indicator."""

    narrative = forms.CharField(
        label=_("What happened this year"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sustainability_update = forms.CharField(
        label=_("Sustainability (pérennité) update"),
        help_text=_("What changed in your plan to make the project last?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=gettext("Actual value of “%(indicator)s”") % {"indicator": indicator.name},
                max_digits=12,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                error_messages={"required": _("Enter the value reached this year."), "invalid": _("Enter a number.")},
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=gettext("Comment on “%(indicator)s”") % {"indicator": indicator.name},
                required=False,
                max_length=500,
            )

    def rows(self):
        return [(i, self[f"actual_{i.pk}"], self[f"comment_{i.pk}"]) for i in self.indicators]

    def results(self) -> dict[int, tuple[Decimal, str]]:
        return {
            i.pk: (self.cleaned_data[f"actual_{i.pk}"], self.cleaned_data[f"comment_{i.pk}"]) for i in self.indicators
        }
