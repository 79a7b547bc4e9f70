from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from .models import Call, ChecklistItem, Criterion, EligibilityRule

# Stored in the source language; translated when shown (see templates' `translate` filter).
DEFAULT_CRITERIA = [
    {
        "key": "innovation",
        "title": gettext_noop("Innovation"),
        "description": gettext_noop(
            "The project tries something new for your community, or adapts a proven approach to a new setting."
        ),
        "guiding_questions": gettext_noop(
            "What need of your community is not met today?\n"
            "What will you do differently from what already exists?\n"
            "What did you learn from similar projects elsewhere?"
        ),
        "examples": gettext_noop(
            "A food bank adds a mobile grocery that visits villages without a store.\n"
            "A youth centre adapts a mentoring model tried in another region."
        ),
        "checklist": [
            gettext_noop("The project answers a need that current services do not meet."),
            gettext_noop("The project learns from what was tried elsewhere."),
        ],
    },
    {
        "key": "concertation",
        "title": gettext_noop("Concertation"),
        "description": gettext_noop(
            "The project is built with partners of the territory, and each partner has a clear role."
        ),
        "guiding_questions": gettext_noop(
            "Which organisations of your territory take part, and what does each one do?\n"
            "How were the people served involved in designing the project?\n"
            "Does the project duplicate a service already offered nearby?"
        ),
        "examples": gettext_noop(
            "The school service centre lends its rooms and refers families.\n"
            "A committee of participants meets every season to adjust the activities."
        ),
        "checklist": [
            gettext_noop("At least one partner of the territory takes part in the project."),
            gettext_noop("The people served were consulted."),
        ],
    },
    {
        "key": "perennite",
        "title": gettext_noop("Sustainability (pérennité)"),
        "description": gettext_noop(
            "The project plans from the start how its results will last after the funding ends."
        ),
        "guiding_questions": gettext_noop(
            "What will remain of the project when this funding ends?\n"
            "Which other sources of revenue will you seek, and when?\n"
            "Who will keep the skills and tools the project creates?"
        ),
        "examples": gettext_noop(
            "The municipality commits to include the service in its policy from year 3.\n"
            "Volunteers trained during the project take over the activities."
        ),
        "checklist": [
            gettext_noop("Other sources of funding are identified for the years after."),
            gettext_noop("The skills gained stay in the organisation or the community."),
        ],
    },
]


def call_add_default_criteria(*, call: Call) -> list[Criterion]:
    """Give a call the three default criteria if it has none yet. Idempotent."""
    created = []
    with transaction.atomic():
        if call.criteria.exists():
            return list(call.criteria.all())
        for position, spec in enumerate(DEFAULT_CRITERIA):
            criterion = Criterion.objects.create(
                call=call,
                key=spec["key"],
                title=spec["title"],
                description=spec["description"],
                guiding_questions=spec["guiding_questions"],
                examples=spec["examples"],
                weight=Decimal("1"),
                position=position,
            )
            ChecklistItem.objects.bulk_create(
                ChecklistItem(criterion=criterion, text=text, position=i) for i, text in enumerate(spec["checklist"])
            )
            created.append(criterion)
    return created


def call_create(*, fund, **fields) -> Call:
    """Create a call with its default rubric (innovation, concertation, pérennité)."""
    with transaction.atomic():
        call = Call(fund=fund, **fields)
        call.full_clean()
        call.save()
        call_add_default_criteria(call=call)
    return call


def criteria_fill_guidance(*, call: Call) -> int:
    """Give the call's default criteria (by key) the default guiding questions and examples where blank.

    For calls created before criteria had guidance. Never overwrites what a fund manager wrote.
    Returns the number of criteria changed.
    """
    defaults = {spec["key"]: spec for spec in DEFAULT_CRITERIA}
    changed = 0
    for criterion in call.criteria.filter(key__in=defaults):
        spec = defaults[criterion.key]
        fields = [f for f in ("guiding_questions", "examples") if not getattr(criterion, f)]
        for name in fields:
            setattr(criterion, name, spec[name])
        if fields:
            criterion.save(update_fields=fields)
            changed += 1
    return changed


def eligibility_rule_add(
    *, call: Call, kind: str, parameters: dict | None = None, message: str = ""
) -> EligibilityRule:
    """Add a rule to a call (after its existing ones). Raises ValueError for an unknown kind."""
    if kind not in EligibilityRule.Kind.values:
        raise ValueError(f"Unknown eligibility rule kind: {kind!r}")
    position = call.eligibility_rules.count()
    return EligibilityRule.objects.create(
        call=call, kind=kind, parameters=parameters or {}, message=message, position=position
    )


def call_set_audience(
    *,
    call: Call,
    regions=None,
    mrcs=None,
    themes=None,
    populations=None,
    decision_expected_on=None,
    projects_start_on=None,
) -> Call:
    """Set whom and where a call is for, and its timeline. Arguments left as None are not changed.

    Empty regions and MRC mean all of Québec; empty populations mean every population.
    """
    with transaction.atomic():
        for name, values in (("regions", regions), ("mrcs", mrcs), ("themes", themes), ("populations", populations)):
            if values is not None:
                getattr(call, name).set(values)
        fields = []
        if decision_expected_on is not None:
            call.decision_expected_on = decision_expected_on
            fields.append("decision_expected_on")
        if projects_start_on is not None:
            call.projects_start_on = projects_start_on
            fields.append("projects_start_on")
        if fields:
            call.save(update_fields=fields)
    return call
