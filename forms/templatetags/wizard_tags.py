"""Template helpers of the applicant's forms, usable from other apps' pages."""

from django import template

from ..models import Application

register = template.Library()


@register.simple_tag
def application_checklist(application: Application) -> list[tuple]:
    """[(criterion, [(item, answer or None), ...]), ...] in the rubric's order (3 queries)."""
    answers = {a.item_id: a for a in application.checklist_answers.all()}
    criteria = application.call.criteria.prefetch_related("checklist")
    return [(c, [(item, answers.get(item.pk)) for item in c.checklist.all()]) for c in criteria]
