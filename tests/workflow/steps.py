"""Bring one application to a given step of the flow through the services."""

from decimal import Decimal

from django.utils import timezone

from reporting import services as reporting_services
from reviewers import services as reviewer_services
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow as F

ORDER = ["draft", "advise", "screen", "assign_reviewers", "score", "decide", "agreement", "report", "review_report"]


def bring_to(step: str, *, application, applicant, manager, reviewers, scores=None):
    """Return the open task of `step` for `application` (for `score`, the first reviewer's task).

    `scores` maps each reviewer to {criterion_pk: value}; by default every criterion gets 4.
    """
    stop = ORDER.index(step)
    criteria = list(application.call.criteria.all())
    if stop == ORDER.index("advise"):
        reviewer_services.support_request(application=application, by=applicant)
        return active_task(application=application, node=F.advise)
    if stop >= ORDER.index("screen"):
        services.application_submit(application=application, by=applicant)
    if stop >= ORDER.index("assign_reviewers"):
        task = active_task(application=application, node=F.screen)
        services.screening_record(task=task, by=manager, eligible=True, notes="")
    if stop >= ORDER.index("score"):
        task = active_task(application=application, node=F.assign_reviewers)
        reviewer_services.reviewers_assign(task=task, by=manager, reviewers=list(reviewers))
    if stop >= ORDER.index("decide"):
        for reviewer in reviewers:
            given = (scores or {}).get(reviewer, {})
            task = active_task(application=application, node=F.score, owner=reviewer)
            values = {c.pk: (given.get(c.pk, 4), "") for c in criteria}
            reviewer_services.score_submit(task=task, by=reviewer, values=values)
    if stop >= ORDER.index("agreement"):
        task = active_task(application=application, node=F.decide)
        reviewer_services.decision_record(task=task, by=manager, decision="approved", reasons="Solide.")
    if stop >= ORDER.index("report"):
        task = active_task(application=application, node=F.agreement)
        reporting_services.agreement_create(
            task=task, by=manager, amounts=[Decimal("20000"), Decimal("15000")], signed_on=timezone.localdate()
        )
    if stop >= ORDER.index("review_report"):
        task = active_task(application=application, node=F.report)
        reporting_services.report_submit(
            task=task,
            by=applicant,
            narrative="Une bonne année.",
            sustainability_update="",
            results={i.pk: (Decimal("30"), "") for i in application.indicators.all()},
        )
    node = getattr(F, step)
    owner = reviewers[0] if step == "score" else None
    return active_task(application=application, node=node, owner=owner)
