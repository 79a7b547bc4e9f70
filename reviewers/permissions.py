"""Who may see and do what on the review side. Plain predicates; views and services call them.

Conflicts of interest: a committee member (or the chair) with a declared conflict on an
organisation never sees that organisation's applications to the call, anywhere. Until a
member has made their declaration for a call, every review page of the call sends them
to the declaration page first (see `needs_declaration`).
"""

from accounts.roles import ADVISOR, FUND_MANAGER, has_role
from fonds.models import Call
from forms.models import Application
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.permissions import manages_fund

from .models import CommitteeSettings, Conflict, ConflictDeclaration, SupportRequest


def is_advisor(user) -> bool:
    return has_role(user, ADVISOR)


def chair_of(call: Call):
    """The chair of the call's committee, or None."""
    settings = CommitteeSettings.objects.filter(call=call).select_related("chair").first()
    return settings.chair if settings else None


def is_chair(user, call: Call) -> bool:
    if not user.is_authenticated:
        return False
    return CommitteeSettings.objects.filter(call=call, chair=user).exists()


def is_committee_member(user, call: Call) -> bool:
    """A member of the call's committee (Call.committee) or its chair."""
    if not user.is_authenticated or not user.is_active:
        return False
    return call.committee.filter(pk=user.pk).exists() or is_chair(user, call)


def has_declared(user, call: Call) -> bool:
    return ConflictDeclaration.objects.filter(call=call, member=user).exists()


def needs_declaration(user, call: Call) -> bool:
    """A committee member who has not yet declared their conflicts of interest for the call."""
    return is_committee_member(user, call) and not has_declared(user, call)


def is_conflicted(user, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return Conflict.objects.filter(
        call_id=application.call_id, member=user, organisation_id=application.organisation_id
    ).exists()


def review_side_can_view(user, application: Application) -> bool:
    """Advisors asked to help on the application; its assigned reviewers and the committee's chair,
    unless they declared a conflict of interest with the organisation."""
    if not user.is_authenticated:
        return False
    if application.support_requests.filter(advisor=user).exists():
        return True
    assigned = application.reviewer_assignments.filter(reviewer=user).exists()
    if not assigned and not is_chair(user, application.call):
        return False
    return not is_conflicted(user, application)


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


def can_manage_advisors(user) -> bool:
    """Fund managers set the advisors' territories and reassign drafts."""
    return has_role(user, FUND_MANAGER) and user.managed_funds.exists()


def can_reassign_support(user, application: Application) -> bool:
    return manages_fund(user, application.call.fund_id)


def can_view_ranking(user, call: Call) -> bool:
    """Managers of the fund, and the committee's members (who see no application they are conflicted with)."""
    return manages_fund(user, call.fund_id) or is_committee_member(user, call)


def can_simulate(user, call: Call) -> bool:
    """The envelope simulation is the committee's work: the fund's managers and the chair adjust amounts."""
    return manages_fund(user, call.fund_id) or is_chair(user, call)


def can_manage_committee(user, call: Call) -> bool:
    return manages_fund(user, call.fund_id)
