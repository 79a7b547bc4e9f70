"""Demo content of the follow-up: funded projects at several stages (`python manage.py demo`).

The base demo already has a project whose year-2 report is due (« Répit pour proches
aidants »). This adds, through the services only, a project in its first year (its
first report due within days, so reminders and the report form can be tried) and a
closed project (two approved reports, every tranche released), and lists the
organisations' projects in the public directory. Looked up by organisation and
title, so a second run creates nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo_data import ApplicationSpec
from accounts.demo_loader import _fill, _review, _signed_on, _submit, _task
from accounts.models import Organisation
from forms.models import Application
from forms.services import application_create
from workflow.flows import ApplicationFlow

from . import followup

FIRST_YEAR = ApplicationSpec(
    "grenier",
    "foundation_closed",
    "funded",
    "Paniers solidaires des villages de Matawinie",
    "Des paniers de légumes à prix modulé livrés chaque semaine dans six villages, préparés avec "
    "des bénévoles et des producteurs de la région.",
    amounts=[24_000, 18_000],
    partners=[{"name": "Table de concertation en sécurité alimentaire (fictive)", "role": "Repère les ménages"}],
    indicators=[
        {"name": "Ménages desservis", "unit": "ménages", "baseline": 40, "target": 120},
        {"name": "Paniers livrés", "unit": "paniers", "baseline": 0, "target": 3000},
    ],
    sustainability="Les paniers à prix plein financeront une partie des paniers à prix réduit dès la deuxième année.",
    scores={"committee1": [4, 4, 5], "committee2": [5, 4, 4]},
)

CLOSED = ApplicationSpec(
    "cab",
    "foundation_closed",
    "funded",
    "Popote roulante de la Petite-Nation",
    "Des repas chauds livrés trois fois par semaine aux aînés en perte d'autonomie, avec un appel "
    "d'amitié à chaque livraison.",
    amounts=[15_000, 12_000],
    partners=[{"name": "CLSC de la Petite-Nation (fictif)", "role": "Réfère les aînés"}],
    indicators=[
        {"name": "Aînés desservis", "unit": "personnes", "baseline": 20, "target": 60},
        {"name": "Repas livrés", "unit": "repas", "baseline": 0, "target": 7000},
    ],
    sustainability="La contribution des aînés et une entente avec la municipalité couvriront les frais.",
    scores={"committee1": [5, 5, 4], "committee2": [4, 4, 4]},
)
CLOSED_REPORTS = [
    ([41, 3100], "Le nombre de bénévoles a doublé; deux nouvelles routes de livraison."),
    ([63, 7250], "La municipalité finance désormais le camion; la popote continue sans subvention."),
]


def _fund(spec: ApplicationSpec, *, people, calls, signed_on) -> Application | None:
    organisation = Organisation.objects.filter(name__in=_names(spec.organisation)).first()
    call = calls.get(spec.call)
    if organisation is None or call is None:
        return None
    existing = Application.objects.filter(organisation=organisation, title=spec.title).first()
    if existing is not None:
        return None
    applicant = organisation.memberships.order_by("pk").first().user
    application = application_create(organisation=organisation, call=call, by=applicant)
    application = _fill(application, spec)
    _submit(application, applicant, call)
    _review(application, spec, people)
    from reviewers.services import decision_record

    manager = people["manager"]
    decision_record(
        task=_task(application, ApplicationFlow.decide),
        by=manager,
        decision="approved",
        reasons="Besoin documenté, partenaires engagés, pérennité crédible.",
    )
    followup.agreement_create(
        task=_task(application, ApplicationFlow.agreement),
        by=manager,
        amounts=[Decimal(a) for a in spec.amounts],
        signed_on=signed_on,
        conditions="Rapport annuel; la tranche de l'année suivante est versée à l'approbation du rapport.",
    )
    return application


def _names(key: str) -> list[str]:
    from accounts.demo_data import ORGANISATIONS

    return [o[1] for o in ORGANISATIONS if o[0] == key]


def demo_extend(*, result) -> None:
    people, calls = result.people, result.calls
    manager = people["manager"]
    first = _fund(FIRST_YEAR, people=people, calls=calls, signed_on=_signed_on(calls["foundation_closed"]))
    closed_signed = timezone.localdate() - timedelta(days=2 * 365 + 40)
    closed = _fund(CLOSED, people=people, calls=calls, signed_on=closed_signed.replace(day=min(closed_signed.day, 28)))
    if closed is not None:
        indicators = list(closed.indicators.order_by("position", "pk"))
        for year, (actuals, narrative) in enumerate(CLOSED_REPORTS, 1):
            followup.report_submit(
                task=_task(closed, ApplicationFlow.report),
                by=closed.created_by,
                narrative=narrative,
                sustainability_update="Entente signée avec la municipalité pour le camion de livraison.",
                results={i.pk: (Decimal(v), "") for i, v in zip(indicators, actuals, strict=True)},
                spending={"project": Decimal(CLOSED.amounts[year - 1])},
                lessons="Les appels d'amitié ont compté autant que les repas." if year == 2 else "",
            )
            followup.report_approve(task=_task(closed, ApplicationFlow.review_report), by=manager)
    if first is not None or closed is not None:
        # The demo organisations agree to show their funded projects in the public directory.
        Organisation.objects.filter(name__in=_names("carrefour") + _names("cab")).update(share_projects=True)
