"""Committee pages: the member's home, conflict declarations, the ranking and its envelope
simulation, an application's scores, and the meeting's decision sheet (PDF)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from fonds.models import Call
from forms.models import Application, BudgetYear
from forms.permissions import can_view_application
from workflow.permissions import manages_fund

from . import services
from .forms import AmountForm, DeclarationForm
from .models import Conflict, ReviewerAssignment
from .permissions import (
    can_simulate,
    can_view_ranking,
    has_declared,
    is_chair,
    is_committee_member,
    needs_declaration,
)
from .ranking_page import ranking_lines
from .selectors import application_scores, call_ranking, committee_settings
from .task_views import to_declaration


def get_call(user, call_pk: int, allowed) -> Call:
    call = get_object_or_404(Call.objects.select_related("fund"), pk=call_pk)
    if not allowed(user, call):
        raise PermissionDenied
    return call


@login_required
def committee_home(request):
    """The calls a member sits on: declaration to make, applications to score (drafts included)."""
    calls = list(
        Call.objects.filter(Q(committee=request.user) | Q(review_settings__chair=request.user))
        .distinct()
        .select_related("fund")
        .order_by("closes_at", "pk")
    )
    if not calls:
        raise PermissionDenied
    declared = set(request.user.conflict_declarations.filter(call__in=calls).values_list("call_id", flat=True))
    assignments = list(
        ReviewerAssignment.objects.filter(reviewer=request.user, application__call__in=calls)
        .exclude(
            application__organisation_id__in=Conflict.objects.filter(member=request.user).values("organisation_id")
        )
        .select_related("application__organisation", "application__call")
        .order_by("application__call__closes_at", "application__title", "pk")
    )
    rows = [(call, call.pk in declared, [a for a in assignments if a.application.call_id == call.pk]) for call in calls]
    return render(request, "reviewers/committee_home.html", {"rows": rows})


@login_required
def declare(request, call_pk: int):
    call = get_call(request.user, call_pk, is_committee_member)
    organisations = (
        Organisation.objects.filter(applications__call=call, applications__submitted_at__isnull=False)
        .distinct()
        .order_by("name")
    )
    declared = dict(Conflict.objects.filter(call=call, member=request.user).values_list("organisation_id", "reason"))
    already = has_declared(request.user, call)
    form = DeclarationForm(request.POST or None, organisations=organisations, declared=declared, already=already)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflicts_declare(call=call, member=request.user, conflicts=form.conflicts)
        except services.ConflictAfterScoring:
            form.add_error(None, _("You already scored this organisation's application: tell the fund manager."))
        except services.NoReplacement:
            form.add_error(
                None,
                _("No other committee member can take over your application: tell the fund manager first."),
            )
        else:
            messages.success(request, _("Your declaration was recorded."))
            target = request.POST.get("next", "")
            if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(target)
            return redirect("reviewers:committee_home")
    context = {
        "call": call,
        "form": form,
        "declared_at": already,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "reviewers/declare.html", context)


@login_required
def ranking(request, call_pk: int):
    """The call's ranking: for the fund's managers and the committee (each member minus their conflicts)."""
    call = get_object_or_404(Call.objects.select_related("fund"), pk=call_pk)
    user = request.user
    settings = committee_settings(call)
    manager = manages_fund(user, call.fund_id)
    chair = settings.chair_id == user.pk
    if not manager:
        if not (chair or call.committee.filter(pk=user.pk).exists()):
            raise PermissionDenied
        if not has_declared(user, call):
            return to_declaration(request, call)
    order = "z" if request.GET.get("order") == "z" else "total"
    result = call_ranking(call=call, viewer=user, order=order, settings=settings, conflicts=not manager)
    context = {
        "call": call,
        "ranking": result,
        "rows": result.rows,
        "lines": ranking_lines(result.rows, can_simulate=manager or chair),
        "criteria": list(call.criteria.all()),
        "order": order,
        "can_simulate": manager or chair,
        "is_chair": chair,
    }
    return render(request, "reviewers/ranking.html", context)


@login_required
@require_POST
def simulate(request, call_pk: int):
    """Adjust the simulated amounts of the ranking (one field per application; empty = the amount asked)."""
    call = get_object_or_404(Call.objects.select_related("fund"), pk=call_pk)
    if not can_view_ranking(request.user, call):
        raise PermissionDenied
    if not can_simulate(request.user, call):
        raise PermissionDenied
    hidden = Conflict.objects.filter(call=call, member=request.user).values("organisation_id")
    visible = Application.objects.filter(call=call).exclude(organisation_id__in=hidden)
    current = dict(visible.filter(simulated_amount__isnull=False).values_list("pk", "simulated_amount__amount"))
    wanted, errors = {}, []
    for key, raw in request.POST.items():
        if not key.startswith("amount_") or not key[7:].isdigit():
            continue
        form = AmountForm({"amount": raw})
        if not form.is_valid():
            errors.append(key)
            continue
        wanted[int(key[7:])] = form.cleaned_data["amount"]
    if errors:
        messages.error(request, _("Enter amounts of zero or more; nothing was changed."))
        return redirect("reviewers:ranking", call.pk)
    applications = {a.pk: a for a in visible.filter(pk__in=list(wanted)).select_related("call")}
    asked = dict(
        BudgetYear.objects.filter(application_id__in=list(applications))
        .values("application_id")
        .annotate(total=Sum("amount"))
        .values_list("application_id", "total")
    )
    with transaction.atomic():
        for pk, amount in wanted.items():
            if pk not in applications or current.get(pk) == amount:
                continue
            if pk not in current and amount in (None, asked.get(pk, Decimal("0"))):
                continue  # still the amount asked: nothing to store
            services.simulation_set(application=applications[pk], by=request.user, amount=amount)
    messages.success(request, _("The simulation was updated."))
    return redirect("reviewers:ranking", call.pk)


@login_required
def scores(request, pk: int):
    """Every submitted score of an application: for its reviewers once they submitted, managers and the chair."""
    application = get_object_or_404(Application.objects.select_related("call__fund", "organisation"), pk=pk)
    if not can_view_application(request.user, application):
        raise Http404
    call = application.call
    if needs_declaration(request.user, call):
        return to_declaration(request, call)
    own = ReviewerAssignment.objects.filter(application=application, reviewer=request.user).first()
    manager = call.fund.managers.filter(pk=request.user.pk).exists()
    if not (manager or is_chair(request.user, call) or (own and own.submitted_at)):
        raise PermissionDenied
    criteria = list(call.criteria.all())
    context = {"application": application, "scores": application_scores(application=application), "criteria": criteria}
    return render(request, "reviewers/scores.html", context)


@login_required
def decision_sheet(request, call_pk: int):
    """The meeting's decision sheet (PDF), for the fund's managers and the committee's chair."""
    call = get_call(request.user, call_pk, lambda u, c: can_simulate(u, c))
    if needs_declaration(request.user, call):
        return to_declaration(request, call)
    from .pdf import render_decision_sheet_pdf

    pdf = render_decision_sheet_pdf(call=call, viewer=request.user, language=get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decisions-{call.pk}.pdf"'
    return response
