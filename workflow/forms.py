"""Forms of the task pages. They validate input only; the services do the writing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

YES_NO = [("yes", _("Yes, the application is eligible")), ("no", _("No, the application is not eligible"))]

SCORE_CHOICES = [
    ("0", _("0 — not addressed")),
    ("1", _("1 — very weak")),
    ("2", _("2 — weak")),
    ("3", _("3 — adequate")),
    ("4", _("4 — strong")),
    ("5", _("5 — excellent")),
]

DECISION_CHOICES = [
    ("approved", _("Approved")),
    ("waitlisted", _("Waitlisted")),
    ("declined", _("Declined")),
]


class ScreeningForm(forms.Form):
    eligible = forms.ChoiceField(label=_("Is the application eligible?"), choices=YES_NO, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("Screening notes"),
        help_text=_("Required when the application is not eligible: these reasons are sent to the applicant."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        if data.get("eligible") == "no" and not data.get("notes", "").strip():
            self.add_error("notes", _("Explain why the application is not eligible."))
        return data

    @property
    def is_eligible(self) -> bool:
        return self.cleaned_data["eligible"] == "yes"


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


class AssignReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Committee members who will score this application"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the reviewers.")},
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.needed = max(2, call.reviewers_per_application)
        self.fields["reviewers"].queryset = call.committee.filter(is_active=True).order_by("full_name", "email")
        self.fields["reviewers"].help_text = _("Choose at least %(count)d members.") % {"count": self.needed}

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) < self.needed:
            raise forms.ValidationError(
                _("Choose at least %(count)d reviewers."), code="too_few", params={"count": self.needed}
            )
        return reviewers


class ScoreForm(forms.Form):
    """One 0–5 score and one comment per criterion of the call."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            title = gettext(criterion.title)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=gettext("Score for “%(criterion)s”") % {"criterion": title},
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Give a score from 0 to 5."),
                    "invalid_choice": _("Give a score from 0 to 5."),
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=gettext("Comment on “%(criterion)s”") % {"criterion": title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (int(self.cleaned_data[f"score_{c.pk}"]), self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        help_text=_("Sent to the applicant. Write them in plain language."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the reasons for the decision.")},
    )

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError(_("Give the reasons for the decision."), code="required")
        return reasons


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
