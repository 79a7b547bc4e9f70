"""The advisor's comment threads on the applicant's pages (forms:detail, the wizard)."""

from django import template
from django.utils import timezone

from forms.permissions import is_org_member

from ..forms import ReplyForm
from ..models import Comment
from ..threads import threads_by_section

register = template.Library()


@register.simple_tag(takes_context=True)
def applicant_threads(context, application, section: str = ""):
    """[(section, label, threads)] for the applicant's team (only `section` when given), else [].

    Rendering the threads to a member of the organisation marks the advisor's comments as seen
    (that is what clears the unread badge).
    """
    user = context["request"].user
    if application is None or not is_org_member(user, application):
        return []
    sections = threads_by_section(application=application)
    if section:
        sections = [s for s in sections if s[0] == section]
    Comment.objects.filter(application=application, by_applicant=False, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return [s for s in sections if s[2]]


@register.simple_tag
def unread_comments(application) -> int:
    """The advisor's comments the applicant's team has not seen yet."""
    return Comment.objects.filter(application=application, by_applicant=False, seen_at__isnull=True).count()


@register.simple_tag
def reply_form():
    return ReplyForm()
