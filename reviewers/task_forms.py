"""Forms of the task pages. They validate input only; the services do the writing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config import fields as safe_fields

LEVELS = [
    _("not addressed"),
    _("very weak"),
    _("weak"),
    _("adequate"),
    _("strong"),
    _("excellent"),
]

DECISION_CHOICES = [
    ("approved", _("Approved")),
    ("waitlisted", _("Waitlisted")),
    ("declined", _("Declined")),
]


def member_label(user: User, load: int | None) -> str:
    if load is None:
        return user.get_full_name()
    return gettext("%(name)s (already %(count)d applications of this call)") % {
        "name": user.get_full_name(),
        "count": load,
    }


class ReviewerChoiceField(safe_fields.ModelMultipleChoiceField):
    loads: dict[int, int] = {}

    def label_from_instance(self, obj: User) -> str:
        return member_label(obj, self.loads.get(obj.pk))


class AssignReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Committee members who will score this application"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the reviewers.")},
    )

    def __init__(self, *args, eligible: list[User], needed: int, loads: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.needed = needed
        field = self.fields["reviewers"]
        field.queryset = User.objects.filter(pk__in=[m.pk for m in eligible]).order_by("full_name", "email")
        field.loads = {m.pk: loads.get(m.pk, 0) for m in eligible}
        field.help_text = _(
            "Members with a declared conflict of interest are not listed. Choose at least %(count)d."
        ) % {"count": needed}

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) < self.needed:
            raise forms.ValidationError(
                _("Choose at least %(count)d reviewers."), code="too_few", params={"count": self.needed}
            )
        return reviewers


class ScoreForm(forms.Form):
    """One 0–5 score and one comment per criterion of the call; scores may be left empty in a draft."""

    def __init__(self, *args, criteria, threshold: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.threshold = threshold
        for criterion in self.criteria:
            title = gettext(criterion.title)
            levels = {level.level: level.description for level in criterion.levels.all()}
            choices = []
            for value, name in enumerate(LEVELS):
                if levels.get(value):
                    label = gettext("%(score)d — %(name)s: %(description)s") % {
                        "score": value,
                        "name": name,
                        "description": gettext(levels[value]),
                    }
                else:
                    label = gettext("%(score)d — %(name)s") % {"score": value, "name": name}
                choices.append((str(value), label))
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=gettext("Score for “%(criterion)s”") % {"criterion": title},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Give a score from 0 to 5.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=gettext("Comment on “%(criterion)s”") % {"criterion": title},
                help_text=(
                    gettext("Required for a score of %(threshold)d or less.") % {"threshold": threshold}
                    if threshold is not None
                    else ""
                ),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict[int, tuple[int | None, str]]:
        result = {}
        for c in self.criteria:
            raw = self.cleaned_data.get(f"score_{c.pk}")
            result[c.pk] = (int(raw) if raw not in (None, "") else None, self.cleaned_data.get(f"comment_{c.pk}", ""))
        return result

    def explain(self, missing: list[int], comments: list[int]) -> None:
        for pk in missing:
            self.add_error(f"score_{pk}", _("Give a score from 0 to 5."))
        for pk in comments:
            self.add_error(
                f"comment_{pk}",
                _("Explain a score of %(threshold)d or less in a comment.") % {"threshold": self.threshold},
            )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        help_text=_("Sent to the applicant. Write them in plain language."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the reasons for the decision.")},
    )

    def __init__(self, *args, years: int, initial_amounts: list[Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for i in range(1, years + 1):
            self.fields[f"amount_{i}"] = safe_fields.DecimalField(
                label=gettext("Amount approved for year %(year)d") % {"year": i},
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
                localize=True,
                initial=initial_amounts[i - 1] if i <= len(initial_amounts) else None,
                help_text=_("Only for an approval. Leave empty to approve the amount asked."),
            )

    def amount_fields(self):
        return [self[f"amount_{i}"] for i in range(1, self.years + 1)]

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError(_("Give the reasons for the decision."), code="required")
        return reasons

    def amounts(self) -> list[Decimal] | None:
        """The yearly amounts typed in, or None when every field was left empty (the amounts asked then)."""
        values = [self.cleaned_data.get(f"amount_{i}") for i in range(1, self.years + 1)]
        if all(v is None for v in values):
            return None
        return [v or Decimal("0") for v in values]
