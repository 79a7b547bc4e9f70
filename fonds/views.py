from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import APPLICANT, has_role

from . import selectors


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fonds/catalogue.html",
        {
            "open_calls": selectors.calls_open(),
            "upcoming_calls": selectors.calls_upcoming(),
            "closed_calls": selectors.calls_closed(),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_public_get(pk=pk)
    now = timezone.now()
    status = "open" if call.accepts_submissions(at=now) else "upcoming" if now < call.opens_at else "closed"
    user = request.user
    is_applicant = has_role(user, APPLICANT)
    organisations = (
        [m.organisation for m in user.memberships.select_related("organisation").order_by("organisation__name")]
        if is_applicant
        else []
    )
    has_organisation = bool(organisations)
    return render(
        request,
        "fonds/call.html",
        {
            "call": call,
            "status": status,
            "can_apply": status == "open" and has_organisation,
            "organisations": organisations,
            "applicant_without_organisation": is_applicant and not has_organisation,
        },
    )
