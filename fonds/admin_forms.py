"""The admin form of an eligibility rule: typed fields per kind, stored as the rule's JSON parameters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Organisation, Population, Region
from config import fields as safe_fields

from .models import EligibilityRule

K = EligibilityRule.Kind


class EligibilityRuleForm(forms.ModelForm):
    legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms accepted"),
        choices=Organisation.LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For « legal form is one of »."),
    )
    regions = safe_fields.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.all(),
        required=False,
        help_text=_("For « territory »: leave regions and MRC empty to use the call's territory."),
    )
    mrcs = safe_fields.ModelMultipleChoiceField(label=_("MRC"), queryset=Mrc.objects.all(), required=False)
    populations = safe_fields.ModelMultipleChoiceField(
        label=_("Populations"),
        queryset=Population.objects.all(),
        required=False,
        help_text=_("For « populations »: leave empty to use the call's populations."),
    )
    minimum = safe_fields.DecimalField(
        label=_("Minimum ($)"), required=False, min_value=0, help_text=_("For « amount »: empty uses the call's.")
    )
    maximum = safe_fields.DecimalField(label=_("Maximum ($)"), required=False, min_value=0)
    years = forms.IntegerField(
        label=_("Years"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("For « duration »: empty uses the call's."),
    )
    budget = safe_fields.DecimalField(
        label=_("Annual budget ($)"), required=False, min_value=0, help_text=_("For « budget ».")
    )

    class Meta:
        model = EligibilityRule
        fields = ["position", "kind", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        p = self.instance.parameters if isinstance(self.instance.parameters, dict) else {}
        if self.instance.pk:
            self.initial.update(
                legal_forms=p.get("legal_forms", []),
                regions=list(Region.objects.filter(code__in=p.get("regions", []))),
                mrcs=list(Mrc.objects.filter(code__in=p.get("mrcs", []))),
                populations=list(Population.objects.filter(code__in=p.get("populations", []))),
                minimum=p.get("min"),
                maximum=p.get("max"),
                years=p.get("years"),
                budget=p.get("amount"),
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        parameters: dict = {}
        if kind == K.LEGAL_FORM_IN:
            if not cleaned.get("legal_forms"):
                self.add_error("legal_forms", _("Choose at least one legal form."))
            parameters = {"legal_forms": list(cleaned.get("legal_forms") or [])}
        elif kind == K.TERRITORY_IN:
            parameters = {
                "regions": [r.code for r in cleaned.get("regions") or []],
                "mrcs": [m.code for m in cleaned.get("mrcs") or []],
            }
        elif kind == K.POPULATION_ANY:
            parameters = {"populations": [p.code for p in cleaned.get("populations") or []]}
        elif kind == K.AMOUNT_BETWEEN:
            low, high = cleaned.get("minimum"), cleaned.get("maximum")
            if low is not None and high is not None and low > high:
                raise ValidationError(_("The minimum is above the maximum."))
            parameters = {k: str(v) for k, v in (("min", low), ("max", high)) if v is not None}
        elif kind == K.YEARS_AT_MOST:
            parameters = {"years": cleaned["years"]} if cleaned.get("years") else {}
        elif kind in (K.BUDGET_AT_MOST, K.BUDGET_AT_LEAST):
            if cleaned.get("budget") is None:
                self.add_error("budget", _("Give the annual budget limit."))
            else:
                parameters = {"amount": str(cleaned["budget"])}
        self.instance.parameters = parameters
        return cleaned
