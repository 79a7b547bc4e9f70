from django.contrib.auth.models import AnonymousUser

from . import roles as r


def roles(request):
    # An error page for a request refused before AuthenticationMiddleware ran (an unparsable
    # multipart body, read by config.middleware) has no request.user: it must not turn into a 500.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "is_applicant": r.has_role(user, r.APPLICANT),
        "is_advisor": r.has_role(user, r.ADVISOR),
        "is_committee": r.has_role(user, r.COMMITTEE),
        "is_fund_manager": r.has_role(user, r.FUND_MANAGER),
        "is_funder": r.has_role(user, r.FUNDER),
    }
