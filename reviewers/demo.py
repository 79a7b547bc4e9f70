"""Demo data of the review side (`python manage.py demo`): a call under committee review.

Conflicts are declared, applications are scored (one reviewer is harsh, one lenient, so the
normalised totals differ from the raw ones), one application is flagged for disagreement,
and the ranking with its envelope simulation is ready to look at. Everything goes through the
services; nothing is created when the call already exists.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from fonds.models import Call
from fonds.services import call_create
from forms.services import (
    application_create,
    application_save_budget,
    application_save_partners,
    application_save_project,
    application_save_sustainability,
)
from workflow import services as flow
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from . import services
from .models import CommitteeSettings, RubricLevel

TITLE = "Appel de projets en sécurité alimentaire — comité de sélection"

PROJECTS = [
    # title, amounts, (committee1 scores), (committee2 scores)
    ("Cuisines collectives itinérantes", [30_000, 20_000], (4, 4, 5), (5, 5, 5)),
    ("Frigo-partage de quartier", [15_000], (3, 2, 3), (5, 4, 4)),
    ("Épicerie solidaire mobile", [45_000, 30_000], (2, 1, 2), (5, 5, 4)),
    ("Ateliers de conservation des récoltes", [12_000], (3, 3, 3), (4, 4, 4)),
]

LEVELS = {
    0: "Le critère n'est pas abordé.",
    1: "Mention sans explication.",
    2: "Quelques éléments, peu concrets.",
    3: "Réponse claire, appuyée par un exemple.",
    4: "Réponse claire, chiffrée et appuyée par des partenaires.",
    5: "Exemplaire : pourrait servir de modèle à d'autres organismes.",
}

COMMENTS = {0: "Absent de la demande.", 1: "Très peu développé.", 2: "À préciser."}


def _at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def demo_extend(*, result) -> None:
    people = result.people
    members = [people[k] for k in ("committee1", "committee2") if k in people]
    applications = list(result.created) + list(result.kept)
    organisations = list({a.organisation_id: a.organisation for a in applications}.values())[: len(PROJECTS)]
    if len(members) < 2 or not organisations or not result.calls:
        return
    fund = next(iter(result.calls.values())).fund
    if Call.objects.filter(fund=fund, title=TITLE).exists():
        return
    call = call_create(
        fund=fund,
        title=TITLE,
        description="Projets qui améliorent l'accès à une alimentation saine et abordable.",
        opens_at=_at(-60),
        closes_at=_at(-5),
        envelope=Decimal("100000"),
        min_amount=Decimal("5000"),
        max_amount=Decimal("75000"),
        max_years=2,
        reviewers_per_application=2,
    )
    call.committee.add(*members)
    CommitteeSettings.objects.create(
        call=call, chair=members[1], comment_threshold=2, disagreement_threshold=Decimal("1.50")
    )
    for criterion in call.criteria.all():
        RubricLevel.objects.bulk_create(
            RubricLevel(criterion=criterion, level=level, description=text) for level, text in LEVELS.items()
        )
    created = []
    for organisation, (title, amounts, _s1, _s2) in zip(organisations, PROJECTS, strict=False):
        by = organisation.memberships.order_by("pk").first().user
        application = application_create(organisation=organisation, call=call, by=by)
        application_save_project(application=application, title=title, summary=f"{title} : résumé.", concerted=True)
        application_save_budget(application=application, amounts=[Decimal(a) for a in amounts])
        application_save_partners(
            application=application,
            partners=[{"name": "Table de concertation locale", "role": "Repère les ménages"}],
            indicators=[{"name": "Ménages rejoints", "unit": "ménages", "baseline": Decimal(0), "target": Decimal(80)}],
        )
        application_save_sustainability(
            application=application, sustainability_plan="Revenus autonomes et appui municipal.", answers={}
        )
        flow.application_submit(application=application, by=by, at=call.closes_at - timedelta(days=2))
        flow.screening_record(
            task=active_task(application=application, node=ApplicationFlow.screen),
            by=people["manager"],
            eligible=True,
            notes="Admissible.",
        )
        created.append((application, _s1, _s2))
    # committee1 sits on the board of the last organisation: declared before anything is assigned.
    last = created[-1][0]
    services.conflicts_declare(call=call, member=members[0], conflicts=[(last.organisation, "Siège au CA")])
    services.conflicts_declare(call=call, member=members[1])
    for application, first, second in created:
        task = active_task(application=application, node=ApplicationFlow.assign_reviewers)
        reviewers = services.reviewers_proposal(application=application)
        services.reviewers_assign(task=task, by=people["manager"], reviewers=reviewers)
        criteria = list(call.criteria.order_by("position", "pk"))
        for reviewer, values in ((members[0], first), (members[1], second)):
            score_task = active_task(application=application, node=ApplicationFlow.score, owner=reviewer)
            if score_task is None:
                continue
            services.score_submit(
                task=score_task,
                by=reviewer,
                values={c.pk: (v, COMMENTS.get(v, "")) for c, v in zip(criteria, values, strict=True)},
            )
    services.simulation_set(application=created[0][0], by=people["manager"], amount=Decimal("40000"))
