"""Forms of the task pages. They validate input only; the services do the writing."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

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
