"""Load the demo data of accounts.demo_data, idempotently (`python manage.py demo`).

Every record is looked up by a natural key (e-mail, name, fund + title,
organisation + call) before it is created, so a second run creates nothing new.
Applications are created and moved through the flow with the services only, so
their viewflow tasks are real: inboxes, queues and dashboards show what a person
would see. An application that already exists is left as it is, whatever
happened to it since (someone may have moved it on in the browser).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Membership, Mrc, Organisation, Population, User
from accounts.services import invitation_accept, invitation_create, organisation_update
from accounts.vocabulary import POPULATIONS, vocabulary_load
from fonds.models import Call, Fund, Funder
from fonds.services import call_create
from forms.models import Application
from forms.services import (
    application_create,
    application_save_budget,
    application_save_partners,
    application_save_project,
    application_save_sustainability,
    wizard_state_save,
)
from reporting import services as reporting_services
from reviewers import services as reviewer_services
from workflow import services as flow
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .demo_data import (
    APPLICATIONS,
    CALLS,
    COLLEAGUES,
    COMMITTEE,
    DEFAULT_PASSWORD,
    FUNDERS,
    ORGANISATION_MEMBER,
    ORGANISATIONS,
    PENDING_INVITATIONS,
    PEOPLE,
    PROFILES,
    SCORE_COMMENTS,
    ApplicationSpec,
)


@dataclass
class Result:
    people: dict[str, User]
    calls: dict[str, Call]
    created: list[Application]
    kept: list[Application]


def _at(days: int, clock: time) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(settings.TIME_ZONE))


def people_load(*, password: str) -> dict[str, User]:
    """Create or update one account per role; always reset the password to `password`."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in {p[3] for p in PEOPLE}}
    people = {}
    for key, email, full_name, role, language, admin in PEOPLE:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = full_name
        user.language = language
        user.is_active = True
        user.is_staff = admin
        user.is_superuser = admin
        user.set_password(password)
        user.save()
        user.groups.add(groups[role])
        people[key] = user
    return people


def organisations_load(*, people: dict[str, User]) -> dict[str, Organisation]:
    organisations = {}
    for key, name, legal_form, neq, mrc_code, mission, member in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"legal_form": legal_form, "neq": neq, "mission": mission, "mrc": Mrc.objects.get(code=mrc_code)},
        )
        Membership.objects.get_or_create(user=people[member], organisation=organisation, defaults={"is_admin": True})
        _profile_complete(organisation, PROFILES.get(key), people[member])
        organisations[key] = organisation
    return organisations


def members_load(*, organisations: dict[str, Organisation], people: dict[str, User]) -> None:
    """Colleagues join through an invitation from their administrator that they accept; the other
    invitations stay pending. Once only: an address the organisation already invited (whatever
    became of that invitation since) or already counts as a member is left as it is."""

    def untouched(organisation: Organisation, email: str) -> bool:
        return not (
            organisation.invitations.filter(email__iexact=email).exists()
            or organisation.memberships.filter(user__email__iexact=email).exists()
        )

    for person, key in COLLEAGUES.items():
        organisation, colleague = organisations[key], people[person]
        if untouched(organisation, colleague.email):
            invitation = invitation_create(
                organisation=organisation,
                by=people[ORGANISATION_MEMBER[key]],
                email=colleague.email,
                is_admin=False,
                language=colleague.language,
            )
            invitation_accept(invitation=invitation, user=colleague)
    for key, email, language in PENDING_INVITATIONS:
        organisation = organisations[key]
        if untouched(organisation, email):
            invitation_create(
                organisation=organisation,
                by=people[ORGANISATION_MEMBER[key]],
                email=email,
                is_admin=False,
                language=language,
            )


def _profile_complete(organisation: Organisation, spec: dict | None, admin: User) -> None:
    """Fill the rest of the profile through the service, once: a profile someone edited since is left alone."""
    if spec is None or organisation.street_address or organisation.contacts.exists():
        return
    vocabulary_load(Population, POPULATIONS)
    organisation_update(
        organisation=organisation,
        by=admin,
        street_address=spec["street_address"],
        city=spec["city"],
        postal_code=spec["postal_code"],
        mrcs_served=list(Mrc.objects.filter(code__in=spec["mrcs_served"])),
        annual_budget=Decimal(spec["annual_budget"]),
        populations=list(Population.objects.filter(code__in=spec["populations"])),
        contacts=spec["contacts"],
    )


def calls_load(*, people: dict[str, User]) -> dict[str, Call]:
    funds = {}
    for key, funder_name, kind, fund_name, description, staff in FUNDERS:
        funder, _ = Funder.objects.get_or_create(name=funder_name, defaults={"kind": kind})
        funder.staff.add(*(people[s] for s in staff))
        fund, _ = Fund.objects.get_or_create(funder=funder, name=fund_name, defaults={"description": description})
        fund.managers.add(people["manager"])
        funds[key] = fund
    calls = {}
    for spec in CALLS:
        call = Call.objects.filter(fund=funds[spec.fund], title=spec.title).first()
        if call is None:
            call = call_create(
                fund=funds[spec.fund],
                title=spec.title,
                description=spec.description,
                opens_at=_at(*spec.opens),
                closes_at=_at(*spec.closes),
                envelope=Decimal(spec.envelope),
                min_amount=Decimal(spec.min_amount),
                max_amount=Decimal(spec.max_amount),
                max_years=spec.max_years,
            )
        call.committee.add(*(people[k] for k in COMMITTEE))
        calls[spec.key] = call
    return calls


def _fill(application: Application, spec: ApplicationSpec) -> Application:
    """Write every step of the wizard through the draft services."""
    application_save_project(
        application=application, title=spec.title, summary=spec.summary, concerted=bool(spec.partners)
    )
    application_save_budget(application=application, amounts=[Decimal(a) for a in spec.amounts])
    application_save_partners(
        application=application,
        partners=spec.partners,
        indicators=[
            {**i, "baseline": Decimal(i.get("baseline", 0)), "target": Decimal(i["target"])} for i in spec.indicators
        ],
    )
    items = [
        item
        for criterion in application.call.criteria.prefetch_related("checklist")
        for item in criterion.checklist.all()
    ]
    answers = {item.pk: (True, "Voir la section correspondante de la demande.") for item in items}
    return application_save_sustainability(
        application=application, sustainability_plan=spec.sustainability, answers=answers
    )


def _wizard_at(application: Application, step: str) -> None:
    # The wizard reads its fields from the database; its storage only says where the applicant is.
    data = {"step": step, "step_data": {}, "step_files": {}, "extra_data": {}}
    wizard_state_save(application=application, data=data, step=step)


def _submit(application: Application, by: User, call: Call) -> None:
    # A call that is closed now was open when these applications came in, a few days before closing.
    at = None if call.is_open else call.closes_at - timedelta(days=3, hours=2)
    flow.application_submit(application=application, by=by, at=at)


def _task(application: Application, node, owner=None):
    task = active_task(application=application, node=node, owner=owner)
    if task is None:
        raise RuntimeError(f"no active {node.name} task for application {application.pk}")
    return task


def _review(application: Application, spec: ApplicationSpec, people: dict[str, User]) -> None:
    manager = people["manager"]
    flow.screening_record(
        task=_task(application, ApplicationFlow.screen),
        by=manager,
        eligible=True,
        notes="Organisme admissible, documents complets, montant dans les limites de l'appel.",
    )
    if spec.stage == "eligible":
        return
    reviewer_services.reviewers_assign(
        task=_task(application, ApplicationFlow.assign_reviewers),
        by=manager,
        reviewers=[people[k] for k in COMMITTEE],
    )
    criteria = list(application.call.criteria.order_by("position", "pk"))
    for reviewer_key, values in spec.scores.items():
        reviewer = people[reviewer_key]
        reviewer_services.score_submit(
            task=_task(application, ApplicationFlow.score, owner=reviewer),
            by=reviewer,
            values={c.pk: (v, SCORE_COMMENTS[v]) for c, v in zip(criteria, values, strict=True)},
        )


def _signed_on(call: Call) -> date:
    day = timezone.localtime(call.closes_at).date() + timedelta(days=45)
    # agreement_create puts each report on the same day of a later year: avoid 29 February.
    return day.replace(day=28) if (day.month, day.day) == (2, 29) else day


def _decide_and_fund(application: Application, spec: ApplicationSpec, people: dict[str, User]) -> None:
    manager, applicant = people["manager"], application.created_by
    if spec.stage == "declined":
        reviewer_services.decision_record(
            task=_task(application, ApplicationFlow.decide),
            by=manager,
            decision="declined",
            reasons="Le projet est pertinent, mais le plan de pérennité repose entièrement sur des ventes "
            "non démontrées et aucun partenaire du milieu n'est engagé. Le comité vous invite à déposer "
            "de nouveau avec un partenaire scolaire.",
        )
        return
    reviewer_services.decision_record(
        task=_task(application, ApplicationFlow.decide),
        by=manager,
        decision="approved",
        reasons="Besoin bien documenté, partenaires engagés et plan de pérennité crédible.",
    )
    reporting_services.agreement_create(
        task=_task(application, ApplicationFlow.agreement),
        by=manager,
        amounts=[Decimal(a) for a in spec.amounts],
        signed_on=_signed_on(application.call),
        conditions="Versement de 80 % à la signature et de 20 % à l'approbation de chaque rapport annuel.",
    )
    indicators = list(application.indicators.order_by("position", "pk"))
    reporting_services.report_submit(
        task=_task(application, ApplicationFlow.report),
        by=applicant,
        narrative="Quarante-huit après-midis de répit ont eu lieu. Les proches aidants disent avoir retrouvé "
        "du temps pour eux; la liste d'attente compte déjà douze personnes.",
        sustainability_update="La MRC a adopté sa politique des aînés, qui mentionne le répit; la première "
        "campagne de dons a recueilli 6 200 $.",
        results={i.pk: (Decimal(v), "") for i, v in zip(indicators, spec.report_actuals, strict=True)},
    )
    reporting_services.report_approve(task=_task(application, ApplicationFlow.review_report), by=manager)


def application_load(
    *, spec: ApplicationSpec, organisation: Organisation, call: Call, people: dict[str, User]
) -> tuple[Application, bool]:
    """Create the application of `spec` and bring it to its stage. Returns (application, created)."""
    existing = Application.objects.filter(organisation=organisation, call=call).order_by("pk").first()
    if existing is not None:
        return existing, False
    applicant = people[ORGANISATION_MEMBER[spec.organisation]]
    application = application_create(organisation=organisation, call=call, by=applicant)
    if spec.stage == "draft_step2":
        application_save_project(application=application, title=spec.title, summary=spec.summary, concerted=True)
        _wizard_at(application, "budget")
        return application, True
    application = _fill(application, spec)
    if spec.stage == "advised":
        _wizard_at(application, "sustainability")
        request = reviewer_services.support_request(
            application=application,
            by=applicant,
            message="Pourriez-vous relire notre plan de pérennité? C'est notre première demande à la Fondation.",
        )
        reviewer_services.comment_add(
            application=application,
            by=request.advisor,
            section="sustainability",
            body="Bon début! Précisez qui entretiendra le jardin après la première année et chiffrez "
            "les autres sources de revenus prévues (Ville, dons, bénévolat).",
        )
        return application, True
    _submit(application, applicant, call)
    if spec.stage == "submitted":
        return application, True
    _review(application, spec, people)
    if spec.stage in ("declined", "funded"):
        _decide_and_fund(application, spec, people)
    return application, True


def demo_load(*, password: str = DEFAULT_PASSWORD) -> Result:
    """Load everything. Call inside a transaction: a failure leaves nothing half-made."""
    people = people_load(password=password)
    organisations = organisations_load(people=people)
    members_load(organisations=organisations, people=people)
    calls = calls_load(people=people)
    created, kept = [], []
    for spec in APPLICATIONS:
        application, is_new = application_load(
            spec=spec, organisation=organisations[spec.organisation], call=calls[spec.call], people=people
        )
        (created if is_new else kept).append(application)
    return Result(people=people, calls=calls, created=created, kept=kept)
