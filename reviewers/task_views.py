"""Task pages of the committee's steps: reviewer assignment, scoring, decision."""

from django.utils.translation import gettext as _

from workflow import services
from workflow.views import done as _done
from workflow.views import render_task as _render

from .selectors import application_scores
from .task_forms import AssignReviewersForm, DecisionForm, ScoreForm


def assign_reviewers(request, task, application):
    form = AssignReviewersForm(request.POST or None, call=application.call)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewers_assign(task=task, by=request.user, reviewers=list(form.cleaned_data["reviewers"]))
        except services.InvalidReviewers:
            form.add_error(
                "reviewers", _("Choose at least %(count)d members of the call's committee.") % {"count": form.needed}
            )
        else:
            return _done(request, _("The reviewers were assigned."))
    return _render(request, "assign_reviewers.html", task, application, form=form)


def score(request, task, application):
    criteria = application.call.criteria.prefetch_related("checklist").all()
    form = ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(task=task, by=request.user, values=form.values())
        except ValueError:
            form.add_error(None, _("Score every criterion from 0 to 5."))
        else:
            return _done(request, _("Your scores were submitted. Thank you."))
    answers = {}
    for answer in application.checklist_answers.select_related("item"):
        answers.setdefault(answer.item.criterion_id, []).append(answer)
    rows = [(criterion, s, c, answers.get(criterion.pk, [])) for criterion, s, c in form.rows()]
    return _render(request, "score.html", task, application, form=form, rows=rows)


def decide(request, task, application):
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decision_record(task=task, by=request.user, **form.cleaned_data)
        return _done(request, _("The decision was recorded and sent to the applicant."))
    scores = application_scores(application=application)
    criteria = list(application.call.criteria.all())
    return _render(request, "decide.html", task, application, form=form, scores=scores, criteria=criteria)


HANDLERS = {"assign_reviewers": assign_reviewers, "score": score, "decide": decide}
