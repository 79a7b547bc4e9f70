from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import APPLICANT, has_role
from accounts.selectors import organisation_profile, organisations_of

from . import eligibility, selectors
from .forms import CatalogueFilterForm, OrientationForm
from .orientation import orientation_results, profile_answers
from .rules import call_rules, vocabulary_get


def catalogue(request: HttpRequest) -> HttpResponse:
    """Every open call, filtered by the GET form; invalid filters are reported and ignored, never a 500."""
    form = CatalogueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound:
        if not form.is_valid():
            messages.error(request, _("Some filters are not valid and were ignored: see the form."))
        filters = form.filters()
    filtering = form.is_bound and form.active
    return render(
        request,
        "fonds/catalogue.html",
        {
            "form": form,
            "filtering": filtering,
            "open_calls": selectors.with_cards(selectors.calls_filter(selectors.calls_open(), **filters)),
            "upcoming_calls": selectors.with_cards(selectors.calls_filter(selectors.calls_upcoming(), **filters)),
            "closed_calls": [] if filtering else selectors.with_cards(selectors.calls_closed()),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_public_get(pk=pk)
    now = timezone.now()
    status = "open" if call.accepts_submissions(at=now) else "upcoming" if now < call.opens_at else "closed"
    user = request.user
    is_applicant = has_role(user, APPLICANT)
    organisations = organisations_of(user=user) if is_applicant else []
    has_organisation = bool(organisations)
    rules = [text for rule in call_rules(call, vocabulary_get()) if (text := eligibility.describe(rule))]
    return render(
        request,
        "fonds/call.html",
        {
            "call": call,
            "status": status,
            "rules": rules,
            "can_apply": status == "open" and has_organisation,
            "organisations": organisations,
            "applicant_without_organisation": is_applicant and not has_organisation,
        },
    )


def orientation(request: HttpRequest) -> HttpResponse:
    """The questionnaire and the calls it finds. A member's answers start from the organisation's profile."""
    organisations = organisations_of(user=request.user)
    organisation = organisations[0] if organisations else None
    wanted = request.GET.get("organisation")
    for candidate in organisations:
        if str(candidate.pk) == wanted:
            organisation = candidate
    answered = any(key != "organisation" for key in request.GET)
    if answered:
        form = OrientationForm(request.GET)
    elif organisation is not None:
        form = OrientationForm(profile_answers(organisation_profile(organisation=organisation)))
    else:
        form = OrientationForm()
    matches = None
    if form.is_bound:
        if answered and not form.is_valid():
            messages.error(request, _("Some answers are not valid and were left out: see the form."))
        else:
            form.is_valid()
        matches = orientation_results(answers=form.answers())
    return render(
        request,
        "fonds/orientation.html",
        {
            "form": form,
            "organisations": organisations,
            "organisation": organisation,
            "from_profile": organisation is not None and not answered,
            "eligible": [m for m in matches or [] if m.verdict.eligible],
            "others": [m for m in matches or [] if not m.verdict.eligible],
            "answered": matches is not None,
        },
    )
