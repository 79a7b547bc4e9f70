"""Forms of the task pages. They validate input only; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

YES_NO = [("yes", _("Yes, the application is eligible")), ("no", _("No, the application is not eligible"))]


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
