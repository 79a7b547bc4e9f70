"""Who may see or change an application. Plain predicates; views and other apps import them."""

from forms.models import Application


def is_org_member(user, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return user.memberships.filter(organisation_id=application.organisation_id).exists()


def can_view_application(user, application: Application) -> bool:
    """Members of the organisation, the fund's managers, its advisors and its assigned reviewers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_org_member(user, application):
        return True
    if application.call.fund.managers.filter(pk=user.pk).exists():
        return True
    # The review side decides for advisors and committee members (conflicts of interest included).
    from reviewers.permissions import review_side_can_view

    return review_side_can_view(user, application)


def can_edit_application(user, application: Application) -> bool:
    """Only members of the organisation edit, and only while the application is a draft."""
    return application.status == Application.Status.DRAFT and is_org_member(user, application)
