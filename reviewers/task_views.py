"""Task pages of the committee's steps: reviewer assignment, scoring, decision."""

from decimal import Decimal

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workflow import services
from workflow.task_pages import done as _done
from workflow.task_pages import render_task as _render

from . import services as review
from .models import ReviewerAssignment, SimulatedAmount
from .permissions import needs_declaration
from .selectors import application_scores, committee_settings
from .task_forms import AssignReviewersForm, DecisionForm, ScoreForm


def to_declaration(request, call):
    """Committee members declare their conflicts of interest before they see any application of the call."""
    url = reverse("reviewers:declare", args=[call.pk])
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def assign_reviewers(request, task, application):
    eligible = review.eligible_members(application=application)
    needed = review.reviewers_needed(application.call, len(eligible))
    proposal = review.reviewers_proposal(application=application)
    form = AssignReviewersForm(
        request.POST or None,
        eligible=eligible,
        needed=needed,
        loads=review.call_loads(call=application.call),
        initial={"reviewers": [m.pk for m in proposal]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review.reviewers_assign(task=task, by=request.user, reviewers=list(form.cleaned_data["reviewers"]))
        except services.InvalidReviewers:
            form.add_error(
                "reviewers",
                _("Choose at least %(count)d members of the call's committee without a conflict of interest.")
                % {"count": needed},
            )
        else:
            return _done(request, _("The reviewers were assigned."))
    return _render(request, "assign_reviewers.html", task, application, form=form, proposal=proposal, needed=needed)


def score(request, task, application):
    if needs_declaration(request.user, application.call):
        return to_declaration(request, application.call)
    settings = committee_settings(application.call)
    criteria = application.call.criteria.prefetch_related("checklist", "levels").all()
    assignment = ReviewerAssignment.objects.get(pk=task.data["assignment"])
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {}
    for criterion_id, s in saved.items():
        initial[f"score_{criterion_id}"] = "" if s.value is None else str(s.value)
        initial[f"comment_{criterion_id}"] = s.comment
    form = ScoreForm(request.POST or None, criteria=criteria, threshold=settings.comment_threshold, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") != "draft"
        try:
            review.score_save(task=task, by=request.user, values=form.values(), submit=submit)
        except review.IncompleteScores as exc:
            form.explain(exc.missing, exc.comments)
        except ValueError:
            form.add_error(None, _("Score every criterion from 0 to 5."))
        else:
            if not submit:
                from django.contrib import messages

                messages.success(request, _("Your draft scores were saved. Submit them when you are ready."))
                return redirect("workflow:task", task.pk)
            return redirect("reviewers:scores", application.pk)
    answers = {}
    for answer in application.checklist_answers.select_related("item"):
        answers.setdefault(answer.item.criterion_id, []).append(answer)
    rows = [(criterion, s, c, answers.get(criterion.pk, [])) for criterion, s, c in form.rows()]
    return _render(
        request, "score.html", task, application, form=form, rows=rows, settings=settings, has_draft=bool(saved)
    )


def decide(request, task, application):
    if needs_declaration(request.user, application.call):
        return to_declaration(request, application.call)
    years = list(application.years.all())
    simulated = SimulatedAmount.objects.filter(application=application).first()
    initial_amounts = [y.amount for y in years]
    requested = sum(initial_amounts, Decimal("0"))
    if simulated is not None and requested:
        # The committee's simulated amount, spread over the years in proportion of the amounts asked.
        initial_amounts = [(a * simulated.amount / requested).quantize(Decimal("0.01")) for a in initial_amounts]
    form = DecisionForm(request.POST or None, years=max(len(years), 1), initial_amounts=initial_amounts)
    if request.method == "POST" and form.is_valid():
        review.decision_record(
            task=task,
            by=request.user,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            amounts=form.amounts() if form.cleaned_data["decision"] == "approved" else None,
        )
        return _done(request, _("The decision was recorded and sent to the applicant."))
    scores = application_scores(application=application)
    criteria = list(application.call.criteria.all())
    return _render(request, "decide.html", task, application, form=form, scores=scores, criteria=criteria)


HANDLERS = {"assign_reviewers": assign_reviewers, "score": score, "decide": decide}
