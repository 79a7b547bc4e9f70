"""Fund managers' configuration pages: advisors' territories and capacity, each call's committee rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import ADVISOR
from fonds.models import Call

from . import services
from .manage_forms import AdvisorRuleForm, CommitteeForm
from .models import AdvisorProfile
from .permissions import can_manage_advisors, can_manage_committee
from .selectors import committee_settings


def _advisors():
    return (
        User.objects.filter(groups__name=ADVISOR, is_active=True)
        .annotate(load=Count("support_requests", filter=Q(support_requests__closed_at__isnull=True)))
        .select_related("advisor_profile")
        .prefetch_related("advisor_profile__mrcs", "advisor_profile__regions")
        .order_by("full_name", "email")
    )


@login_required
def advisors(request):
    if not can_manage_advisors(request.user):
        raise PermissionDenied
    return render(request, "reviewers/advisors.html", {"advisors": list(_advisors())})


@login_required
def advisor_rule(request, user_pk: int):
    if not can_manage_advisors(request.user):
        raise PermissionDenied
    advisor = get_object_or_404(_advisors(), pk=user_pk)
    profile = AdvisorProfile.objects.filter(advisor=advisor).first()
    initial = {"available": True}
    if profile:
        initial = {
            "regions": list(profile.regions.all()),
            "mrcs": list(profile.mrcs.all()),
            "capacity": profile.capacity,
            "available": profile.available,
        }
    form = AdvisorRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.advisor_rule_save(advisor=advisor, by=request.user, **form.cleaned_data)
        messages.success(request, _("The rules of %(name)s were saved.") % {"name": advisor.get_full_name()})
        return redirect("reviewers:advisors")
    return render(request, "reviewers/advisor_rule.html", {"advisor": advisor, "form": form})


@login_required
def committee(request, call_pk: int):
    call = get_object_or_404(Call.objects.select_related("fund"), pk=call_pk)
    if not can_manage_committee(request.user, call):
        raise PermissionDenied
    settings = committee_settings(call)
    initial = {
        "chair": settings.chair_id,
        "comment_threshold": settings.comment_threshold,
        "disagreement_threshold": settings.disagreement_threshold,
    }
    form = CommitteeForm(request.POST or None, call=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.committee_settings_save(
            call=call,
            by=request.user,
            chair=form.cleaned_data["chair"],
            comment_threshold=form.cleaned_data["comment_threshold"],
            disagreement_threshold=form.cleaned_data["disagreement_threshold"],
            levels=form.levels(),
        )
        messages.success(request, _("The committee's rules were saved."))
        return redirect("reviewers:committee", call.pk)
    members = list(call.committee.order_by("full_name", "email"))
    return render(request, "reviewers/committee.html", {"call": call, "form": form, "members": members})
