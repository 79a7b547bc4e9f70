from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Section


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section of the draft"), choices=Section.choices)
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
