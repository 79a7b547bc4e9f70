"""The application lifecycle as one viewflow process.

Human steps are `flow.View` tasks. They are executed through
`workflow.engine.task_execute`, which checks Guichet's own permission
predicates first (viewflow does not enforce them when code drives an activation).
"""

from contextlib import contextmanager, nullcontext

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.split import SplitActivation

from accounts.models import User
from forms.models import Application

from .models import ApplicationProcess


class ProcessRowLock:
    """viewflow's flow lock: the process row locked (SELECT ... FOR UPDATE, waiting its turn) until
    the transaction ends. Inside the caller's transaction when there is one, without a savepoint of
    its own (viewflow's SelectForUpdateLock opens one: two more statements on every transition);
    otherwise in a transaction of its own."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        nested = transaction.get_connection().in_atomic_block
        with nullcontext() if nested else transaction.atomic():
            flow_class.process_class._default_manager.filter(pk=process_pk).select_for_update().exists()
            yield


class ReviewerSplitActivation(SplitActivation):
    """Creates one `score` task per reviewer assigned to the application."""

    @Activation.status.super()
    def activate(self):
        from reviewers.models import ReviewerAssignment

        assignments = ReviewerAssignment.objects.filter(application_id=self.process.application_id).order_by("pk")
        for node, _cond, _data in self.flow_task._branches:
            for assignment in assignments:
                self.next_tasks.append((node, {"assignment": assignment.pk, "reviewer": assignment.reviewer_id}))


class ReviewerSplit(flow.Split):
    activation_class = ReviewerSplitActivation


def _applicant(activation):
    return activation.process.application.created_by


def _advisor(activation):
    request = activation.process.application.support_requests.order_by("-created_at").first()
    return request.advisor if request else None


def _reviewer(activation):
    return User.objects.get(pk=activation.task.data["reviewer"])


def _task_view(request, **kwargs):
    # Guichet serves task pages at workflow:task; the engine's own URLs are not mounted.
    from .views import task_detail

    return task_detail(request, task_pk=kwargs["task_pk"])


class ApplicationFlow(flow.Flow):
    process_class = ApplicationProcess
    # Row lock on the process: parallel score tasks meet at a Join.
    lock_impl = ProcessRowLock()
    process_title = _("Application")
    process_description = _("From the first draft to the last report.")

    start = flow.StartHandle(this.start_process).Next(this.draft)

    draft = (
        flow.View(_task_view)
        .Annotation(title=_("Complete and submit the application"))
        .Assign(_applicant)
        .Next(this.after_draft)
    )
    after_draft = (
        flow.If(lambda act: act.process.application.status == Application.Status.SUBMITTED)
        .Then(this.screen)
        .Else(this.advise)
    )
    advise = flow.View(_task_view).Annotation(title=_("Comment on the draft")).Assign(_advisor).Next(this.draft)
    screen = (
        flow.View(_task_view)
        .Annotation(title=_("Screen eligibility"))
        .Permission("workflow.screen_application")
        .Next(this.after_screen)
    )
    after_screen = (
        flow.If(lambda act: bool(act.process.application.eligible)).Then(this.assign_reviewers).Else(this.ineligible)
    )
    assign_reviewers = (
        flow.View(_task_view)
        .Annotation(title=_("Assign reviewers"))
        .Permission("workflow.assign_reviewers")
        .Next(this.split_scoring)
    )
    split_scoring = ReviewerSplit().Next(this.score)
    score = flow.View(_task_view).Annotation(title=_("Score the application")).Assign(_reviewer).Next(this.join_scoring)
    join_scoring = flow.Join().Next(this.decide)
    decide = (
        flow.View(_task_view)
        .Annotation(title=_("Record the decision"))
        .Permission("workflow.decide_application")
        .Next(this.after_decision)
    )
    after_decision = (
        flow.If(lambda act: act.process.application.status == Application.Status.APPROVED)
        .Then(this.agreement)
        .Else(this.not_funded)
    )
    agreement = (
        flow.View(_task_view)
        .Annotation(title=_("Set up the agreement"))
        .Permission("workflow.manage_agreement")
        .Next(this.report)
    )
    # One report per funded year (the last one is the final report). A report sent back
    # comes back to the applicant as a new `report` task for the same year.
    report = (
        flow.View(_task_view).Annotation(title=_("File the yearly report")).Assign(_applicant).Next(this.review_report)
    )
    review_report = (
        flow.View(_task_view)
        .Annotation(title=_("Review the yearly report"))
        .Permission("workflow.review_report")
        .Next(this.after_review)
    )
    after_review = flow.If(this.report_approved).Then(this.after_report).Else(this.report)
    after_report = flow.If(this.has_more_reports).Then(this.report).Else(this.closed)

    ineligible = flow.End()
    not_funded = flow.End()
    closed = flow.End()

    def start_process(self, activation, application: Application):
        activation.process.application = application
        return activation.process

    def report_approved(self, activation) -> bool:
        """The report just reviewed was approved (otherwise it was sent back)."""
        from reporting.models import ReportReview

        agreement = activation.process.application.agreement
        latest = ReportReview.objects.filter(report__agreement=agreement).order_by("-at", "-pk").first()
        return latest is None or latest.decision == ReportReview.Decision.APPROVED

    def has_more_reports(self, activation) -> bool:
        from reporting.models import Report

        agreement = activation.process.application.agreement
        approved = agreement.reports.filter(status=Report.Status.APPROVED).count()
        return approved < agreement.years.count()
