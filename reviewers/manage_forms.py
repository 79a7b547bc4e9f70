"""Forms of the fund managers' configuration pages (advisors' territories, the committee's rules)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Region, User
from config import fields as safe_fields

from .task_forms import LEVELS


class AdvisorRuleForm(forms.Form):
    regions = safe_fields.ModelMultipleChoiceField(
        label=_("Regions served"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mrcs = safe_fields.ModelMultipleChoiceField(
        label=_("MRCs served"),
        queryset=Mrc.objects.select_related("region"),
        required=False,
        help_text=_("An MRC served comes before its region. An advisor serving nothing is a generalist."),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    capacity = forms.IntegerField(
        label=_("Maximum open drafts"), min_value=1, max_value=500, required=False, help_text=_("Empty: no limit.")
    )
    available = forms.BooleanField(label=_("Takes new requests"), required=False)


class CommitteeForm(forms.Form):
    chair = safe_fields.ModelChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False)
    comment_threshold = forms.IntegerField(
        label=_("Comment required at or under this score"),
        min_value=0,
        max_value=5,
        required=False,
        help_text=_("Empty: no comment required."),
    )
    disagreement_threshold = safe_fields.DecimalField(
        label=_("Flag when reviewers' totals differ by more than"),
        min_value=Decimal("0"),
        max_value=Decimal("5"),
        max_digits=4,
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(call.criteria.prefetch_related("levels"))
        self.fields["chair"].queryset = call.committee.filter(is_active=True).order_by("full_name", "email")
        self.fields["chair"].label_from_instance = lambda user: user.get_full_name()
        for criterion in self.criteria:
            current = {level.level: level.description for level in criterion.levels.all()}
            for level, name in enumerate(LEVELS):
                self.fields[f"level_{criterion.pk}_{level}"] = forms.CharField(
                    label=gettext("%(criterion)s — %(score)d (%(name)s)")
                    % {"criterion": gettext(criterion.title), "score": level, "name": name},
                    max_length=300,
                    required=False,
                    initial=current.get(level, ""),
                )

    def rubric(self):
        return [(c, [self[f"level_{c.pk}_{level}"] for level in range(6)]) for c in self.criteria]

    def levels(self) -> dict[tuple[int, int], str]:
        return {
            (c.pk, level): self.cleaned_data.get(f"level_{c.pk}_{level}", "")
            for c in self.criteria
            for level in range(6)
        }
