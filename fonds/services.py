from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from .models import Call, ChecklistItem, Criterion

# Stored in the source language; translated when shown (see templates' `translate` filter).
DEFAULT_CRITERIA = [
    {
        "key": "innovation",
        "title": gettext_noop("Innovation"),
        "description": gettext_noop(
            "The project tries something new for your community, or adapts a proven approach to a new setting."
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
