"""Demo additions of the fonds app: each demo call's territory, themes, populations, timeline,
guidance on its criteria and eligibility rules. Idempotent: a call that already has rules is
left as it is (a fund manager may have edited it since)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Mrc, Population, Region
from accounts.vocabulary import POPULATIONS, THEMES, vocabulary_load

from .models import Call, Theme
from .services import call_set_audience, criteria_fill_guidance, eligibility_rule_add

# call key: (regions, MRC, themes, populations, rules [(kind, parameters, message)])
AUDIENCES = {
    "ministry_open": (
        [],
        [],
        ["food-security", "mobility", "social-inclusion"],
        ["low-income", "families", "seniors", "newcomers"],
        [
            ("legal_form_in", {"legal_forms": ["obnl", "coop", "first_nation"]}, ""),
            ("population_any", {}, ""),
            ("amount_between", {}, ""),
            ("years_at_most", {}, ""),
        ],
    ),
    "foundation_open": (
        ["14"],
        [],
        ["food-security", "social-inclusion", "health"],
        [],
        [
            ("legal_form_in", {"legal_forms": ["obnl", "coop"]}, ""),
            ("territory_in", {}, "La Fondation soutient uniquement les organismes de Lanaudière."),
            ("budget_at_most", {"amount": "1000000"}, ""),
            ("amount_between", {}, ""),
            ("years_at_most", {}, ""),
        ],
    ),
    "foundation_closed": (
        ["14", "07"],  # the 2025 call was open to Lanaudière and Outaouais
        [],
        ["social-inclusion"],
        [],
        [
            ("legal_form_in", {"legal_forms": ["obnl", "coop"]}, ""),
            ("territory_in", {}, ""),
            ("amount_between", {}, ""),
        ],
    ),
    "mrc_upcoming": (
        [],
        ["061"],
        ["culture", "environment", "social-inclusion"],
        [],
        [
            ("legal_form_in", {"legal_forms": ["obnl", "coop", "municipality"]}, ""),
            ("territory_in", {}, "Seuls les projets réalisés dans la MRC de Joliette sont admissibles."),
            ("amount_between", {}, ""),
            ("years_at_most", {}, ""),
        ],
    ),
}


# Calls added by other apps' demo data: open to non-profits and co-operatives, limits of the call.
DEFAULT_AUDIENCE = (
    [],
    [],
    ["social-inclusion"],
    [],
    [("legal_form_in", {"legal_forms": ["obnl", "coop"]}, ""), ("amount_between", {}, ""), ("years_at_most", {}, "")],
)


def demo_extend(*, result) -> None:
    vocabulary_load(Population, POPULATIONS)
    vocabulary_load(Theme, THEMES)
    keys = {call.pk: key for key, call in result.calls.items()}
    for call in Call.objects.order_by("pk"):
        criteria_fill_guidance(call=call)
        spec = AUDIENCES.get(keys.get(call.pk), DEFAULT_AUDIENCE)
        if call.eligibility_rules.exists():
            continue
        regions, mrcs, themes, populations, rules = spec
        closes = timezone.localtime(call.closes_at).date()
        call_set_audience(
            call=call,
            regions=list(Region.objects.filter(code__in=regions)),
            mrcs=list(Mrc.objects.filter(code__in=mrcs)),
            themes=list(Theme.objects.filter(code__in=themes)),
            populations=list(Population.objects.filter(code__in=populations)),
            decision_expected_on=closes + timedelta(days=45),
            projects_start_on=closes + timedelta(days=75),
        )
        for kind, parameters, message in rules:
            eligibility_rule_add(call=call, kind=kind, parameters=parameters, message=message)
