"""The wizard's forms. They validate input only; views hand cleaned data to forms.services."""

from decimal import Decimal

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from fonds.models import Call, ChecklistItem
from fonds.templatetags.guichet import format_money


class MoneyField(forms.DecimalField):
    """An amount in dollars, typed the Québec way ("20 000,50 $") or the English way ("$20,000.50")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("$", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
            # In English the comma groups thousands ("20,000.50"); in French it is the decimal mark.
            if get_format("DECIMAL_SEPARATOR") == ".":
                value = value.replace(",", "")
        return super().to_python(value)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project does, for whom, and why now. Plain words; 2,000 characters at most."),
    )
    concerted = forms.BooleanField(
        label=_("The project is carried with partners"),
        required=False,
        help_text=_("If ticked, you will name the partners and their role in the next steps."),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your project a title."))
        return title


class BudgetForm(forms.Form):
    """One amount per year, up to the call's number of years; the total must fit the call's limits."""

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        for year in range(1, call.max_years + 1):
            self.fields[f"year_{year}"] = MoneyField(
                label=_("Amount asked for year %(year)s") % {"year": year},
                required=year == 1,
                help_text=_("In dollars.") if year == 1 else _("Leave empty if the project lasts fewer years."),
            )

    def amounts(self) -> list[Decimal]:
        """Amounts of year 1 up to the last year filled in; a gap in between counts as zero."""
        values = [self.cleaned_data.get(f"year_{y}") for y in range(1, self.call.max_years + 1)]
        while values and values[-1] is None:
            values.pop()
        return [v if v is not None else Decimal("0") for v in values]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        total = sum(self.amounts(), Decimal("0"))
        if not self.call.min_amount <= total <= self.call.max_amount:
            raise forms.ValidationError(
                _("The total asked (%(total)s) must be between %(min)s and %(max)s."),
                code="total_out_of_range",
                params={
                    "total": format_money(total),
                    "min": format_money(self.call.min_amount),
                    "max": format_money(self.call.max_amount),
                },
            )
        return cleaned


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner"), max_length=200)
    role = forms.CharField(label=_("Role in the project"), max_length=300)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200, help_text=_("For example: families reached."))
    unit = forms.CharField(label=_("Unit"), max_length=50, help_text=_("For example: families, meals, hours."))
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        min_value=0,
        help_text=_("Where things stand today."),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        min_value=0,
        help_text=_("Where you aim to be at the end of the project."),
    )


class _RowsFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """Cleaned rows, leaving out blank extra rows and rows marked for removal."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=_RowsFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=_RowsFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


class PartnersForm(forms.Form):
    """Partners and indicators: one wizard step holding two formsets."""

    def __init__(self, *args, concerted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        initial = self.initial or {}
        self.concerted = concerted
        self.partners = PartnerFormSet(
            self.data if self.is_bound else None, prefix=self.add_prefix("partners"), initial=initial.get("partners")
        )
        self.indicators = IndicatorFormSet(
            self.data if self.is_bound else None,
            prefix=self.add_prefix("indicators"),
            initial=initial.get("indicators"),
        )

    def is_valid(self) -> bool:
        # Validate both formsets even when the first fails, so every error shows at once.
        formsets_valid = all([self.partners.is_valid(), self.indicators.is_valid()])
        return super().is_valid() and formsets_valid

    def clean(self):
        cleaned = super().clean()
        if not (self.partners.is_valid() and self.indicators.is_valid()):
            return cleaned
        names = [row["name"].strip().casefold() for row in self.indicators.rows()]
        if not names:
            self.add_error(None, forms.ValidationError(_("Add at least one indicator."), code="no_indicator"))
        elif len(set(names)) != len(names):
            # Reports match results to indicators by name: two with the same name would merge.
            self.add_error(
                None, forms.ValidationError(_("Give each indicator a different name."), code="duplicate_indicator")
            )
        if self.concerted and not self.partners.rows():
            self.add_error(
                None,
                forms.ValidationError(
                    _("Your project is carried with partners: name at least one partner."), code="no_partner"
                ),
            )
        cleaned["partners"] = self.partners.rows()
        cleaned["indicators"] = self.indicators.rows()
        return cleaned


class SustainabilityForm(forms.Form):
    """The pérennité plan and, for each criterion of the call, its checklist (yes/no + justification)."""

    sustainability_plan = forms.CharField(
        label=_("Sustainability (pérennité) plan"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How will the results last once the funding ends? Other funding, skills kept, partners."),
    )

    def __init__(self, *args, items: list[ChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(label=_("Yes"), required=False)
            self.fields[f"justification_{item.pk}"] = forms.CharField(
                label=_("Justification"), max_length=500, required=False
            )

    def groups(self) -> list[tuple]:
        """[(criterion, [(item, checkbox, justification), ...]), ...] in the rubric's order, for the template."""
        grouped: dict = {}
        for item in self.items:
            grouped.setdefault(item.criterion, []).append(
                (item, self[f"item_{item.pk}"], self[f"justification_{item.pk}"])
            )
        return list(grouped.items())

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (
                bool(self.cleaned_data.get(f"item_{item.pk}")),
                self.cleaned_data.get(f"justification_{item.pk}", "").strip(),
            )
            for item in self.items
        }


class SummaryForm(forms.Form):
    """The recap step has nothing to fill in; submission posts to forms:submit."""


class SupportForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like help with?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CreateForm(forms.Form):
    organisation = forms.IntegerField(required=False)
