"""Demo content of the application forms (`python manage.py demo`). Idempotent.

Per-call form settings and questions; then, once the forms are set up, drafts stopped at each
wizard step and a project addressed to two funds (accounts.demo_data.WIZARD_DRAFTS and COFUNDED),
written through the services the wizard uses. An application is looked up by organisation, call
and title: one that exists is left as it is, whatever happened to it since.
"""

from decimal import Decimal

from django.utils import timezone

from accounts.demo_data import COFUNDED, ORGANISATION_MEMBER, ORGANISATIONS, WIZARD_DRAFTS, ApplicationSpec
from accounts.demo_loader import _task, _wizard_at
from accounts.models import Organisation, User
from fonds.models import Call, ChecklistItem
from workflow import services as flow
from workflow.flows import ApplicationFlow

from .models import Application
from .selectors import organisation_facts
from .services import (
    application_create,
    application_save_budget,
    application_save_partners,
    application_save_project,
    application_save_sustainability,
    call_form_configure,
    call_question_ensure,
)
from .steps import ALL_STEPS, SERVICES, step_names

GENERIC_JUSTIFICATION = "Voir la section correspondante de la demande."


def demo_extend(*, result) -> None:
    now = timezone.now()
    open_calls = sorted(
        (c for c in result.calls.values() if c.opens_at <= now < c.closes_at), key=lambda c: (c.closes_at, c.pk)
    )
    for i, call in enumerate(open_calls):
        # The first open call shows every optional part; the others keep the lighter defaults.
        call_form_configure(
            call=call,
            attachments_enabled=i == 0,
            attachments_help="Lettres d'appui des partenaires, dernier rapport annuel." if i == 0 else "",
        )
        call_question_ensure(
            call=call,
            label="Quelles populations le projet rejoint-il?",
            step="project",
            help_text="Par exemple : familles à faible revenu, personnes aînées isolées, jeunes de 12 à 17 ans.",
            max_length=600,
            required=True,
            position=1,
            prefill="populations",
        )
    _answer_new_questions(result.created)
    for spec in WIZARD_DRAFTS:
        _load(spec, result=result, load=_draft_load)
    _load(COFUNDED, result=result, load=_cofunded_load)


def _answer_new_questions(applications: list[Application]) -> None:
    """The drafts the core demo has just made came before the questions above: answer those of the
    steps they are past with what the wizard prefills from the profile, as if the question had been there."""
    steps = [name for name, _form in ALL_STEPS]
    drafts = Application.objects.filter(pk__in=[a.pk for a in applications], status=Application.Status.DRAFT)
    for application in drafts.select_related("organisation", "call", "created_by").order_by("pk"):
        if application.wizard_step not in steps:
            continue
        past = steps[: steps.index(application.wizard_step)]
        facts = organisation_facts(organisation=application.organisation)
        answered = application.question_answers.values("question_id")
        for step in past:
            questions = application.call.questions.filter(step=step).exclude(prefill="").exclude(pk__in=answered)
            answers = {q.pk: str(facts[q.prefill]) for q in questions if facts.get(q.prefill)}
            if answers:
                SERVICES[step](application=application, questions=answers, by=application.created_by)


def _load(spec: ApplicationSpec, *, result, load) -> None:
    """Create the application of `spec` with `load` unless it exists; record it (and its copies) in `result`."""
    name = next(name for key, name, *_rest in ORGANISATIONS if key == spec.organisation)
    organisation = Organisation.objects.filter(name=name).first()
    call = result.calls.get(spec.call)
    if organisation is None or call is None:
        return  # renamed or removed since the first run
    existing = (
        Application.objects.filter(organisation=organisation, call=call, title=spec.title, lead__isnull=True)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        result.kept.extend([existing, *existing.cofunded.order_by("pk")])
        return
    author = result.people[spec.author or ORGANISATION_MEMBER[spec.organisation]]
    application = application_create(organisation=organisation, call=call, by=author)
    application = load(application, spec, by=author, calls=result.calls, people=result.people)
    result.created.extend([application, *application.cofunded.order_by("pk")])


def _draft_load(application: Application, spec: ApplicationSpec, *, by: User, calls, people) -> Application:
    steps = step_names(application)
    step = spec.stage if spec.stage in steps else steps[-1]
    application = _save_steps(application, spec, by=by, calls=calls, before=step)
    _wizard_at(application, step)
    return application


def _cofunded_load(application: Application, spec: ApplicationSpec, *, by: User, calls, people) -> Application:
    """Submit the project to its call and, through co-funding, to the other calls; the first of them screens."""
    application = _save_steps(application, spec, by=by, calls=calls, before="summary")
    _wizard_at(application, "summary")
    application = flow.application_submit(application=application, by=by)
    screened = application.cofunded.get(call=calls[next(iter(spec.cofunding))])
    flow.screening_record(
        task=_task(screened, ApplicationFlow.screen),
        by=people["manager"],
        eligible=True,
        notes="Organisme de Lanaudière, projet existant à consolider, plan de pérennité présent : admissible.",
    )
    return application


def _save_steps(
    application: Application, spec: ApplicationSpec, *, by: User, calls: dict[str, Call], before: str
) -> Application:
    """Save, in the wizard's order, each step before `before`, as the applicant did. The project step
    is always saved: its title is the first thing an applicant types (the rest of it once done)."""
    steps = step_names(application)
    done = set(steps[: steps.index(before)])
    questions = None
    if "project" in done and spec.reach:
        questions = {q.pk: spec.reach for q in application.call.questions.filter(step="project")}
    application = application_save_project(
        application=application,
        title=spec.title,
        summary=spec.summary,
        concerted=bool(spec.partners),
        questions=questions,
        by=by,
    )
    if "budget" in done:
        application = application_save_budget(
            application=application,
            amounts=[Decimal(a) for a in spec.amounts],
            lines=[{**line, "amount": Decimal(line["amount"])} for line in spec.lines],
            cofunding=[{"call": calls[key], "amount": Decimal(amount)} for key, amount in spec.cofunding.items()],
            by=by,
        )
    if "partners" in done:
        application = application_save_partners(
            application=application,
            partners=spec.partners,
            indicators=[
                {**i, "baseline": Decimal(i.get("baseline", 0)), "target": Decimal(i["target"])}
                for i in spec.indicators
            ],
            by=by,
        )
    if "sustainability" in done:
        items = ChecklistItem.objects.filter(criterion__call=application.call).order_by(
            "criterion__position", "criterion__pk", "position", "pk"
        )
        texts = spec.justifications or [GENERIC_JUSTIFICATION] * len(items)
        application = application_save_sustainability(
            application=application,
            sustainability_plan=spec.sustainability,
            answers={item.pk: (True, text) for item, text in zip(items, texts, strict=True)},
            by=by,
        )
    # Attachments: the drafts have none yet (the one stopped at that step is about to add them).
    return application
