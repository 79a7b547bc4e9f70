from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config import fields as safe_fields

from .models import QUESTIONS, Section


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section of the draft"), choices=Section.choices)
    question = forms.ChoiceField(
        label=_("Question (optional)"),
        help_text=_("Choose a question of the section when the comment is about it."),
        choices=[("", _("The whole section"))] + [(s.label, q) for s, q in QUESTIONS.items()],
        required=False,
    )
    body = forms.CharField(
        label=_("Your comment"),
        help_text=_("The applicant's team sees your comment on their application."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your comment.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your comment."), code="required")
        return body

    def clean(self):
        data = super().clean()
        section, question = data.get("section"), data.get("question")
        if section and question and question not in {key for key, _label in QUESTIONS[section]}:
            self.add_error("question", _("This question is not in the chosen section."))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your reply.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your reply."), code="required")
        return body


class AdvisorChoiceField(safe_fields.ModelChoiceField):
    loads: dict[int, int] = {}

    def label_from_instance(self, obj) -> str:
        return gettext("%(name)s (%(count)d open drafts)") % {
            "name": obj.get_full_name(),
            "count": self.loads.get(obj.pk, 0),
        }


class ReassignForm(forms.Form):
    advisor = AdvisorChoiceField(label=_("Advisor"), queryset=None, empty_label=None, widget=forms.RadioSelect)

    def __init__(self, *args, advisors, loads: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors
        self.fields["advisor"].loads = loads


class DeclarationForm(forms.Form):
    """One checkbox and one reason per organisation that applied to the call."""

    none = forms.BooleanField(label=_("I have no conflict of interest with these organisations"), required=False)

    def __init__(self, *args, organisations, declared: dict[int, str], already: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.declared = declared
        self.already = already
        for organisation in self.organisations:
            done = organisation.pk in declared
            self.fields[f"org_{organisation.pk}"] = forms.BooleanField(
                label=gettext("I have a conflict of interest with %(name)s") % {"name": organisation.name},
                required=False,
                initial=done,
                disabled=done,
            )
            self.fields[f"reason_{organisation.pk}"] = forms.CharField(
                label=gettext("Reason (%(name)s)") % {"name": organisation.name},
                max_length=300,
                required=False,
                initial=declared.get(organisation.pk, ""),
                disabled=done,
            )

    def rows(self):
        return [(o, self[f"org_{o.pk}"], self[f"reason_{o.pk}"]) for o in self.organisations]

    def clean(self):
        data = super().clean()
        chosen = []
        for organisation in self.organisations:
            if organisation.pk in self.declared:
                continue
            if data.get(f"org_{organisation.pk}"):
                reason = (data.get(f"reason_{organisation.pk}") or "").strip()
                if not reason:
                    self.add_error(f"reason_{organisation.pk}", _("Say why, in a few words."))
                chosen.append((organisation, reason))
        if not chosen and not data.get("none") and not self.already:
            raise forms.ValidationError(
                _("Tick the organisations you have a conflict with, or confirm you have none."), code="empty"
            )
        if chosen and data.get("none"):
            raise forms.ValidationError(
                _("You ticked conflicts and confirmed having none: choose one."), code="contradiction"
            )
        self.conflicts = chosen
        return data


class AmountForm(forms.Form):
    amount = safe_fields.DecimalField(
        label=_("Simulated amount"), min_value=0, max_digits=12, decimal_places=2, localize=True, required=False
    )
