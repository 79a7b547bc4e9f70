"""One application waiting at every human step of the flow, for tests that sweep URLs and roles."""

from dataclasses import dataclass, field
from decimal import Decimal

from viewflow.workflow.models import Task

from forms.models import Application
from reporting import services as reporting_services
from reviewers import services as reviewer_services
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from . import factories as f


@dataclass
class Scenario:
    users: dict
    organisation: object
    call: object
    applications: dict = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)


def _draft(s: Scenario, title: str) -> Application:
    app = f.make_draft(call=s.call, organisation=s.organisation, by=s.users["applicant"])
    Application.objects.filter(pk=app.pk).update(title=title)
    app.refresh_from_db()
    return app


def build(users: dict, *, organisation, call) -> Scenario:
    """`users` holds applicant, advisor, reviewer1, reviewer2, manager (of the call's fund)."""
    s = Scenario(users=users, organisation=organisation, call=call)
    u = users
    node = ApplicationFlow

    a = _draft(s, "Brouillon")
    s.applications["draft"] = a
    s.tasks["draft"] = active_task(application=a, node=node.draft)

    a = _draft(s, "Avec conseillère")
    reviewer_services.support_request(application=a, by=u["applicant"])
    s.applications["advise"] = a
    s.tasks["advise"] = active_task(application=a, node=node.advise)

    a = _draft(s, "À examiner")
    services.application_submit(application=a, by=u["applicant"])
    s.applications["screen"] = a
    s.tasks["screen"] = active_task(application=a, node=node.screen)

    a = _draft(s, "À assigner")
    services.application_submit(application=a, by=u["applicant"])
    services.screening_record(
        task=active_task(application=a, node=node.screen), by=u["manager"], eligible=True, notes=""
    )
    s.applications["assign_reviewers"] = a
    s.tasks["assign_reviewers"] = active_task(application=a, node=node.assign_reviewers)

    a = _draft(s, "À évaluer")
    services.application_submit(application=a, by=u["applicant"])
    services.screening_record(
        task=active_task(application=a, node=node.screen), by=u["manager"], eligible=True, notes=""
    )
    reviewer_services.reviewers_assign(
        task=active_task(application=a, node=node.assign_reviewers),
        by=u["manager"],
        reviewers=[u["reviewer1"], u["reviewer2"]],
    )
    s.applications["score"] = a
    s.tasks["score"] = active_task(application=a, node=node.score, owner=u["reviewer1"])

    a = _decided(s, "À décider", decide=False)
    s.applications["decide"] = a
    s.tasks["decide"] = active_task(application=a, node=node.decide)

    a = _decided(s, "Entente", decide=True)
    s.applications["agreement"] = a
    s.tasks["agreement"] = active_task(application=a, node=node.agreement)

    a = _decided(s, "Rapport", decide=True)
    reporting_services.agreement_create(
        task=active_task(application=a, node=node.agreement),
        by=u["manager"],
        amounts=[Decimal("20000"), Decimal("15000")],
        signed_on=f.signed_on(),
    )
    s.applications["report"] = a
    s.tasks["report"] = active_task(application=a, node=node.report)

    a = _decided(s, "Rapport à approuver", decide=True)
    reporting_services.agreement_create(
        task=active_task(application=a, node=node.agreement),
        by=u["manager"],
        amounts=[Decimal("20000"), Decimal("15000")],
        signed_on=f.signed_on(),
    )
    reporting_services.report_submit(
        task=active_task(application=a, node=node.report),
        by=u["applicant"],
        narrative="Une bonne année.",
        sustainability_update="",
        results={i.pk: (Decimal("30"), "") for i in a.indicators.all()},
    )
    s.applications["review_report"] = a
    s.tasks["review_report"] = active_task(application=a, node=node.review_report)
    return s


def _decided(s: Scenario, title: str, *, decide: bool) -> Application:
    u = s.users
    node = ApplicationFlow
    a = _draft(s, title)
    services.application_submit(application=a, by=u["applicant"])
    services.screening_record(
        task=active_task(application=a, node=node.screen), by=u["manager"], eligible=True, notes=""
    )
    reviewer_services.reviewers_assign(
        task=active_task(application=a, node=node.assign_reviewers),
        by=u["manager"],
        reviewers=[u["reviewer1"], u["reviewer2"]],
    )
    for reviewer in (u["reviewer1"], u["reviewer2"]):
        task = active_task(application=a, node=node.score, owner=reviewer)
        reviewer_services.score_submit(task=task, by=reviewer, values={c.pk: (4, "") for c in s.call.criteria.all()})
    if decide:
        reviewer_services.decision_record(
            task=active_task(application=a, node=node.decide), by=u["manager"], decision="approved", reasons="Solide."
        )
    a.refresh_from_db()
    return a
