from . import roles as r


def roles(request):
    user = request.user
    return {
        "is_applicant": r.has_role(user, r.APPLICANT),
        "is_advisor": r.has_role(user, r.ADVISOR),
        "is_committee": r.has_role(user, r.COMMITTEE),
        "is_fund_manager": r.has_role(user, r.FUND_MANAGER),
        "is_funder": r.has_role(user, r.FUNDER),
    }
