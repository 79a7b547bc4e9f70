"""Filters of the funder dashboard and the target-change forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config import fields as safe_fields
from fonds.models import Call


class DashboardFilter(forms.Form):
    """Fund, call and year; a value the funder may not see is an error and the filter is left out."""

    fund = safe_fields.ModelChoiceField(queryset=None, required=False, label=_("Fund"), empty_label=_("Every fund"))
    call = safe_fields.ModelChoiceField(
        queryset=None, required=False, label=_("Call for projects"), empty_label=_("Every call")
    )
    year = forms.TypedChoiceField(choices=(), coerce=int, required=False, empty_value=None, label=_("Year"))

    def __init__(self, *args, funds, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["call"].queryset = Call.objects.filter(fund__in=funds).order_by("fund__name", "title")
        self.fields["year"].choices = [("", _("Every year"))] + [(y, str(y)) for y in years]

    def clean(self):
        data = super().clean()
        fund, call = data.get("fund"), data.get("call")
        if fund and call and call.fund_id != fund.pk:
            self.add_error("call", _("This call belongs to another fund."))
        return data


class TargetChangeForm(forms.Form):
    indicator = safe_fields.ModelChoiceField(queryset=None, label=_("Indicator"))
    year = forms.TypedChoiceField(choices=(), coerce=int, label=_("Funded year"))
    proposed_value = safe_fields.DecimalField(
        label=_("New target"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    justification = forms.CharField(
        label=_("Justification"),
        help_text=_("Why the target should change: what you learnt, what changed around the project."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, application, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = application.indicators.all()
        self.fields["year"].choices = [(y, _("Year %(year)d") % {"year": y}) for y in years]


class TargetDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    comment = forms.CharField(
        label=_("Comment on the decision"),
        help_text=_("Required to refuse."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the change is refused."))
        return data
