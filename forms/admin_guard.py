"""What the admin may not delete: a question, checklist item or criterion that a submitted application answered.

A submitted application is what the committee scores and what its PDF copy shows. Its answers
point to the call's questions and checklist items, so deleting one of those would delete the
submitted answers with it (CASCADE). The admin refuses, with a message; a question that only
drafts answered can still be removed, their answers with it.
"""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from fonds.models import ChecklistItem, Criterion

from .models import CallQuestion, ChecklistAnswer, QuestionAnswer


def answered_in_submissions(obj) -> bool:
    """Whether an application already submitted answered `obj` (a CallQuestion, ChecklistItem or Criterion)."""
    if obj is None or obj.pk is None:
        return False
    if isinstance(obj, CallQuestion):
        answers = QuestionAnswer.objects.filter(question=obj)
    elif isinstance(obj, ChecklistItem):
        answers = ChecklistAnswer.objects.filter(item=obj)
    elif isinstance(obj, Criterion):
        answers = ChecklistAnswer.objects.filter(item__criterion=obj)
    else:
        return False
    return answers.filter(application__submitted_at__isnull=False).exists()


REFUSED = _(
    "“%(name)s” was answered in applications already submitted: it cannot be deleted, so that "
    "what they submitted stays whole. You may still edit it."
)


class KeepSubmittedAnswersAdminMixin:
    """For the ModelAdmin of CallQuestion, ChecklistItem and Criterion."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if answered_in_submissions(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk "delete selected" action checks no object: these are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class KeepSubmittedAnswersFormSet(BaseInlineFormSet):
    """An inline formset that refuses to delete a row a submitted application answered."""

    def clean(self):
        super().clean()
        refused = [form.instance for form in self.deleted_forms if answered_in_submissions(form.instance)]
        if refused:
            raise ValidationError([REFUSED % {"name": str(obj)} for obj in refused], code="answered")


class KeepSubmittedAnswersInlineMixin:
    formset = KeepSubmittedAnswersFormSet
