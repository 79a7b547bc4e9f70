"""The public catalogue's filters and the orientation questionnaire (GET forms: never a 500, errors shown)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Organisation, Population, Region
from config import fields as safe_fields

from . import eligibility as e
from .models import Theme


def territory_choices() -> list:
    """Regions with their MRC, as grouped choices: « region:14 » (whole region) and « mrc:061 ». Two queries."""
    mrcs_by_region: dict[int, list[Mrc]] = {}
    for mrc in Mrc.objects.order_by("name"):
        mrcs_by_region.setdefault(mrc.region_id, []).append(mrc)
    choices: list = [("", _("All of Québec"))]
    for region in Region.objects.order_by("code"):
        group = [(f"region:{region.code}", _("%(region)s (whole region)") % {"region": region.name})]
        group += [(f"mrc:{m.code}", m.name) for m in mrcs_by_region.get(region.pk, [])]
        choices.append((region.name, group))
    return choices


class CatalogueFilterForm(forms.Form):
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    theme = safe_fields.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All themes"),
    )
    population = safe_fields.ModelChoiceField(
        label=_("Population"),
        queryset=Population.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All populations"),
    )
    amount = safe_fields.DecimalField(
        label=_("Amount you need ($)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Calls whose minimum and maximum amounts include it."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    years = forms.IntegerField(
        label=_("Duration of the project (years)"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("Calls that fund projects at least this long."),
    )
    deadline_before = forms.DateField(
        label=_("Deadline on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = territory_choices()
        self._mrc_regions: dict[str, str] | None = None

    def clean_territory(self) -> tuple[str, str] | None:
        value = self.cleaned_data["territory"]
        if not value:
            return None
        kind, _sep, code = value.partition(":")
        if kind == "region":
            return ("region", code)
        mrc = Mrc.objects.select_related("region").filter(code=code).first()
        if mrc is None:  # the choice list was valid a moment ago; the MRC vanished since
            raise forms.ValidationError(_("Choose a territory from the list."), code="invalid_choice")
        return ("mrc", (mrc.code, mrc.region.code))

    def filters(self) -> dict:
        """Keyword arguments for fonds.selectors.calls_filter, from the fields that are valid."""
        data = getattr(self, "cleaned_data", {})
        territory = data.get("territory")
        return {
            "region": territory[1] if territory and territory[0] == "region" else None,
            "mrc": territory[1] if territory and territory[0] == "mrc" else None,
            "theme": data["theme"].code if data.get("theme") else None,
            "population": data["population"].code if data.get("population") else None,
            "amount": data.get("amount"),
            "years": data.get("years"),
            "deadline_before": data.get("deadline_before"),
        }

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in self.filters().values())


class OrientationForm(forms.Form):
    """Who you are, where, for whom, how much, for how long. Every answer is optional: unanswered rules show as such."""

    legal_form = forms.ChoiceField(
        label=_("Legal form of your organisation"),
        required=False,
        choices=[("", _("I do not know yet"))] + list(Organisation.LegalForm.choices),
    )
    mrcs = forms.MultipleChoiceField(label=_("Territory served (MRC)"), required=False)
    populations = safe_fields.ModelMultipleChoiceField(
        label=_("People your project serves"),
        queryset=Population.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount = safe_fields.DecimalField(
        label=_("Amount you need ($)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    years = forms.IntegerField(label=_("Duration of the project (years)"), required=False, min_value=1, max_value=10)
    annual_budget = safe_fields.DecimalField(
        label=_("Annual budget of your organisation ($)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mrcs_by_code = {m.code: m for m in Mrc.objects.select_related("region").order_by("region__code", "name")}
        self.fields["mrcs"].choices = [(code, m.name) for code, m in self.mrcs_by_code.items()]

    def mrc_groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """(region name, [(code, MRC name, checked)]) for the template's fieldsets."""
        if self.is_bound:
            chosen = set(self.data.getlist("mrcs")) if hasattr(self.data, "getlist") else set()
        else:
            chosen = set(self.initial.get("mrcs") or [])
        groups: dict[str, list] = {}
        for code, mrc in self.mrcs_by_code.items():
            groups.setdefault(mrc.region.name, []).append((code, mrc.name, code in chosen))
        return list(groups.items())

    def answers(self) -> e.Answers:
        """The valid answers (an invalid field counts as not answered)."""
        data = getattr(self, "cleaned_data", {})
        mrcs = frozenset(c for c in data.get("mrcs") or [] if c in self.mrcs_by_code)
        return e.Answers(
            legal_form=data.get("legal_form") or None,
            mrcs=mrcs,
            regions=frozenset(self.mrcs_by_code[c].region.code for c in mrcs),
            populations=frozenset(p.code for p in data.get("populations") or []),
            amount=data.get("amount"),
            years=data.get("years"),
            annual_budget=data.get("annual_budget"),
        )
