"""Who may see the review side. Plain predicates; views call them."""

from accounts.roles import ADVISOR, has_role
from fonds.models import Call
from forms.models import Application
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.permissions import manages_fund

from .models import SupportRequest


def review_side_can_view(user, application: Application) -> bool:
    """Advisors asked to help on the application, and reviewers assigned to it."""
    if application.support_requests.filter(advisor=user).exists():
        return True
    return application.reviewer_assignments.filter(reviewer=user).exists()


def is_advisor(user) -> bool:
    return has_role(user, ADVISOR)


def supports_application(user, application: Application) -> bool:
    """The advisor was asked to help on this draft (now or earlier)."""
    if not is_advisor(user):
        return False
    return SupportRequest.objects.filter(application=application, advisor=user).exists()


def can_comment_draft(user, application: Application) -> bool:
    """The draft is with this advisor right now (their advise task is open)."""
    if not user.is_authenticated:
        return False
    return active_task(application=application, node=ApplicationFlow.advise, owner=user) is not None


def can_view_ranking(user, call: Call) -> bool:
    return manages_fund(user, call.fund_id)
