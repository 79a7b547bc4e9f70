"""Random and hostile input to every wizard step and to autosave (hypothesis).

Whatever is sent: never a server error; every part that is refused comes with a visible,
specific message in the user's language; every part that was valid when typed is in the
database afterwards, and a refused part leaves the saved value as it was (a step page shows
the refused value again, with its error). The oracles are written from the product's rules
(lengths, required fields, amounts, rows, Django's formset protocol), not from forms.partial.
"""

import ast
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import django
import pytest
from django import forms as django_forms
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import services
from forms.forms import MoneyField
from forms.models import Application
from tests import factories as f

from .conftest import WIZARD_PREFIX

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "Robert'); DROP TABLE forms_partner;--",
        "{{ 7*7 }}",
        "%s%n%(x)s",
        "NaN",
        "-NaN",
        "Infinity",
        "1e999",
        "1e400",
        "-1e400",
        "-0",
        "9" * 40,
        "12 000,50",
        "$12,000.50",
        "١٢٣",
        "🙂" * 10,
        "x" * 5000,
        "\r\n\t",
        "\u2028",
        "\ufeff",
        "\u202eevil\u202c",
        "zero\u200bwidth\u200f",
        "../../etc/passwd",
    ]
)
LANGUAGES = ["fr", "en"]
TEXT = st.one_of(HOSTILE, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
CHECKBOX = st.one_of(st.sampled_from(["on", "", "0", "false", "False", "true", "1", "off", "\x00"]), TEXT)
# Valid text that looks hostile is still text: it must be kept as typed.
GOOD_TEXT = st.sampled_from(
    [
        "Ville de Joliette",
        "  Maison des jeunes  ",
        "École «Saint-Pierre»",
        "שלום עולם",
        "\u202eevil\u202c",
        "zéro\u200blargeur",
        "<b>gras</b> & <script>alert(1)</script>",
        "Robert'); DROP TABLE forms_partner;--",
        "{{ 7*7 }} %s",
        "ligne 1\r\nligne 2",
        "a" * 50,
    ]
)
NUMBERS = st.sampled_from(
    ["1200", "1 200,50", "1200,50", "1200.50", "$1,200.50", "12 000,50 $", "5\u00a0000", "5\u202f000,5", "  300  ", "0"]
    + ["-0", "0,005", "1e3", "1_000", "١٢٣", "1e400", "-1e400", "1e-400", "NaN", "-NaN", "Infinity", "-1", "½"]
    + ["9" * 40, "9999999999,99", "99999999999,99", "0x10", "5000", "12000", "30000,01"]
)


def signalling_nan(value: str) -> bool:
    """Whether an amount field reads `value` as a signalling NaN. The oracle's plain Django fields
    cannot even compare one, so these stay out of the random amounts; the server's refusal of them
    is checked by test_it_refuses_a_signalling_nan_amount_without_a_server_error."""
    value = value.replace("\x00", "")
    for language in LANGUAGES:
        with translation.override(language):
            for number in (MoneyField(required=False), django_forms.DecimalField(localize=True, required=False)):
                try:
                    if (parsed := number.to_python(value)) is not None and parsed.is_snan():
                        return True
                except django_forms.ValidationError:
                    pass
    return False


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, each drawn `weight` times as often as a strategy of weight 1."""
    return st.sampled_from([s for weight, s in choices for _ in range(weight)]).flatmap(lambda s: s)


PLAIN_AMOUNTS = st.one_of(st.integers(0, 60000).map(str), st.decimals(min_value=0, max_value=60000, places=2).map(str))
AMOUNT = weighted((3, NUMBERS), (2, PLAIN_AMOUNTS), (1, TEXT)).filter(lambda v: not signalling_nan(v))
TAMPERED_COUNTS = ["-1", "31", "61", "x", "", "1e400", "NaN", "-0", "٣", " 2 ", "2.0", "+1", "1_0"]
# Counts past Django's absolute_max build 1,000 rows or more: a step page then takes seconds to
# render, so these go to autosave only (and to one step page, in test_it_refuses_rows_past_the_limit...).
HUGE_COUNTS = ["1000", str(10**9), "9" * 40]
COUNTS = weighted((4, st.integers(0, 3).map(str)), (1, st.sampled_from(TAMPERED_COUNTS)))
INITIAL_COUNTS = weighted((4, st.integers(0, 3).map(str)), (1, st.sampled_from(["x", "-5", "", "9" * 40])))
ROW_TEXT = weighted((3, GOOD_TEXT), (1, TEXT))


def normalised(value: str) -> str:
    """A value as the forms see it: config.middleware drops NUL characters, StepForm turns CRLF into LF."""
    return value.replace("\x00", "").replace("\r\n", "\n")


def expected_text(value: str, max_length: int, required: bool) -> str | None:
    """What the database must hold after sending `value`, or None when the value is invalid."""
    stripped = normalised(value).strip()
    if len(stripped) > max_length or (required and not stripped):
        return None
    return stripped


def ticked(value: str) -> bool:
    """What a checkbox sent as `value` means (as Django reads it, NUL characters dropped)."""
    widget_value = django_forms.CheckboxInput().value_from_datadict({"x": normalised(value)}, {}, "x")
    return bool(django_forms.BooleanField(required=False).clean(widget_value))


def expected_amount(value: str, language: str = "fr", required: bool = False):
    with translation.override(language):
        try:
            return MoneyField(required=required).clean(normalised(value))
        except django_forms.ValidationError:
            return "invalid"


def assert_clear_errors(errors: dict, language: str | None = None) -> None:
    for messages in errors.values():
        assert messages and all(isinstance(m, str) and m.strip() for m in messages)
        if language:
            for message in messages:
                assert_in_language(message, language)


# -- "in the user's language": a message is one of the catalogue's, in that language


def _po_entries(path: Path):
    entry, key = {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                yield entry
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, rest = line.partition(" ")
            entry[key] = ast.literal_eval(rest)


PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]")


@cache
def _templates(language: str) -> list[tuple[str, re.Pattern]]:
    """(longest literal piece, pattern) of every message of Django's and Guichet's catalogues."""
    paths = [
        Path(django.__file__).parent / "conf/locale/fr/LC_MESSAGES/django.po",
        Path(django_settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po",
    ]
    texts = set()
    for path in paths:
        for entry in _po_entries(path):
            if language == "en":
                texts.update(entry.get(k, "") for k in ("msgid", "msgid_plural"))
            elif not entry.get("fuzzy"):
                texts.update(v for k, v in entry.items() if k.startswith("msgstr"))
    patterns = []
    for text in texts:
        pieces = PLACEHOLDER.split(text)
        if sum(c.isalpha() for c in "".join(pieces)) < 4:
            continue  # "%(value)s" and the like say nothing by themselves
        patterns.append((max(pieces, key=len), re.compile(".*?".join(map(re.escape, pieces)), re.S)))
    return patterns


def assert_in_language(message: str, language: str) -> None:
    assert any(anchor in message and p.fullmatch(message) for anchor, p in _templates(language)), (language, message)


# -- the draft every example starts from


@dataclass
class Baseline:
    other: object  # an open call the draft also asks (co-funding)
    calls: dict = field(default_factory=dict)  # pk -> (min, max) of the calls co-funding may name


@pytest.fixture
def baseline(draft):
    fund = draft.call.fund
    other = f.make_call(fund=fund, title="Autre appel", min_amount=Decimal("1000"), max_amount=Decimal("30000"))
    other2 = f.make_call(fund=fund, title="Troisième appel", min_amount=Decimal("500"), max_amount=Decimal("60000"))
    f.make_call(fund=fund, title="Appel fermé", open_now=False)
    calls = {c.pk: (c.min_amount, c.max_amount) for c in (other, other2)}
    return Baseline(other=other, calls=calls)


BASE_PARTNERS = [{"name": "CISSS de Lanaudière", "role": "Référence des familles"}, {"name": "Ville", "role": "Local"}]
BASE_INDICATORS = [
    {"name": "Familles rejointes", "unit": "familles", "baseline": "0", "target": "40", "targets": {1: "10", 2: "25"}},
    {"name": "Repas servis", "unit": "repas", "baseline": "100", "target": "2000", "targets": {}},
]
BASE_LINES = [{"label": "Salaire", "year": "1", "amount": "1200"}, {"label": "Loyer", "year": "2", "amount": "800"}]


def reset(application: Application, base: Baseline) -> Application:
    """Put the draft back as every example finds it, so examples do not depend on each other."""
    services.application_save_project(
        application=application, title="Cuisine collective", summary="Des repas partagés.", concerted=True
    )
    services.application_save_budget(
        application=application,
        amounts=[Decimal("20000"), Decimal("15000")],
        lines=[{**r, "year": int(r["year"]), "amount": Decimal(r["amount"])} for r in BASE_LINES],
        cofunding=[{"call": base.other, "amount": Decimal("5000")}],
    )
    services.application_save_partners(
        application=application,
        partners=BASE_PARTNERS,
        indicators=[
            {**i, "baseline": Decimal(i["baseline"]), "target": Decimal(i["target"]), "targets": i["targets"]}
            for i in BASE_INDICATORS
        ],
    )
    services.application_save_sustainability(application=application, sustainability_plan="Autofinancement.")
    application.refresh_from_db()
    return application


def state(application: Application, step: str) -> dict:
    """What the database holds for a step, in the order the step's form shows it."""
    application.refresh_from_db()
    if step == "project":
        return {"title": application.title, "summary": application.summary, "concerted": application.concerted}
    if step == "budget":
        return {
            "years": {y.year: y.amount for y in application.years.all()},
            "lines": [(x.label, x.year, x.amount) for x in application.budget_lines.all()],
            "cofunding": [(c.call_id, c.amount) for c in application.cofunding_requests.all()],
        }
    if step == "partners":
        return {
            "partners": [(p.name, p.role) for p in application.partners.all()],
            "indicators": [
                (i.name, i.unit, i.baseline, i.target, {t.year: t.value for t in i.targets.all()})
                for i in application.indicators.prefetch_related("targets")
            ],
        }
    return {"sustainability_plan": application.sustainability_plan}


# -- row sets: one oracle form per row, and Django's formset protocol around it


def _decimal(required=False):
    return django_forms.DecimalField(max_digits=12, decimal_places=2, localize=True, min_value=0, required=required)


def _choices(values):
    return django_forms.TypedChoiceField(choices=[("", "—"), *[(v, v) for v in values]], coerce=int, empty_value=None)


def row_oracle(name: str, base: Baseline):
    """A form with the product's rules for one row (field -> rule), and how a row is saved."""
    fields = {
        "partners": {"name": django_forms.CharField(max_length=200), "role": django_forms.CharField(max_length=300)},
        "indicators": {
            "name": django_forms.CharField(max_length=200),
            "unit": django_forms.CharField(max_length=50),
            "baseline": _decimal(),
            "target": _decimal(required=True),
            **{f"target_{y}": _decimal() for y in (1, 2, 3)},
        },
        "lines": {"label": django_forms.CharField(max_length=200), "year": _choices([1, 2, 3]), "amount": MoneyField()},
        "cofunding": {"call": _choices(list(base.calls)), "amount": MoneyField()},
    }[name]
    form_class = type("Row", (django_forms.Form,), {**fields, "DELETE": django_forms.BooleanField(required=False)})

    def clean(form):
        data = super(form_class, form).clean()
        if name == "cofunding" and data.get("call") in base.calls and data.get("amount") is not None:
            low, high = base.calls[data["call"]]
            if not low <= data["amount"] <= high:
                form.add_error("amount", "out of the call's range")
        return data

    form_class.clean = clean
    return form_class


def as_saved(name: str, c: dict) -> tuple:
    if name == "partners":
        return (c["name"], c["role"])
    if name == "indicators":
        targets = {y: c[f"target_{y}"] for y in (1, 2, 3) if c.get(f"target_{y}") is not None}
        return (c["name"], c["unit"], c["baseline"] or Decimal("0"), c["target"], targets)
    if name == "lines":
        return (c["label"], c["year"], c["amount"])
    return (c["call"], c["amount"])


def as_initial(name: str, row: tuple) -> dict:
    if name == "partners":
        return {"name": row[0], "role": row[1]}
    if name == "indicators":
        return {"name": row[0], "unit": row[1], "baseline": row[2], "target": row[3]} | {
            f"target_{y}": v for y, v in row[4].items()
        }
    if name == "lines":
        return {"label": row[0], "year": row[1], "amount": row[2]}
    return {"call": row[0], "amount": row[1]}


FORMSETS = {  # name -> (step, max_num): forms.forms' formset_factory calls
    "partners": ("partners", 30),
    "indicators": ("partners", 30),
    "lines": ("budget", 60),
    "cofunding": ("budget", 10),
}


def _count(value):
    try:
        return django_forms.IntegerField().clean(normalised(value))
    except django_forms.ValidationError:
        return None


@dataclass
class Outcome:
    """What must happen to one part (a field or a row set) that was sent."""

    saved: object = None  # the database value afterwards
    refused: list = field(default_factory=list)  # (row index or None, reason): each needs its own error


def formset_outcome(name: str, data: dict, before: list, base: Baseline, language: str) -> Outcome | None:
    step, max_num = FORMSETS[name]
    prefix = f"{step}-{name}"
    if f"{prefix}-TOTAL_FORMS" not in data:
        return None  # not sent: left as it is
    total, initial = _count(data[f"{prefix}-TOTAL_FORMS"]), _count(data.get(f"{prefix}-INITIAL_FORMS", ""))
    if total is None or initial is None or total > max_num + 1000:  # 1000: Django's default absolute_max margin
        return Outcome(saved=before, refused=[(None, "management form")])
    form_class = row_oracle(name, base)
    rows, refused, calls, deleted, all_valid = [], [], set(), 0, True
    with translation.override(language):
        for i in range(max(0, total)):
            keys = [k for k in form_class.base_fields if f"{prefix}-{i}-{k}" in data]
            old = before[i] if i < len(before) else None
            form = form_class(
                {k: normalised(data[f"{prefix}-{i}-{k}"]) for k in keys},
                initial=as_initial(name, old) if old else None,
                empty_permitted=i >= initial,
                use_required_attribute=False,
            )
            valid = form.is_valid()
            if form.cleaned_data.get("DELETE"):
                deleted += i < initial or form.has_changed()
                continue
            all_valid &= valid
            if valid and name == "cofunding" and form.cleaned_data.get("call") is not None:
                valid = form.cleaned_data["call"] not in calls  # the same call typed twice
                calls.add(form.cleaned_data["call"])
            if valid and form.cleaned_data:
                rows.append(("typed", i, as_saved(name, form.cleaned_data)))
            elif valid and old:
                # An extra row left as the saved one: the applicant sees it on the page and sends it back.
                rows.append(("unchanged", i, old))
            elif not valid:
                refused.append((i, "row"))
                if old:
                    rows.append(("kept", i, old))  # a refused row keeps what was saved
    # Django counts the rows ticked for deletion against max_num only when every other row is valid.
    if total - (deleted if all_valid else 0) > max_num:
        return Outcome(saved=before, refused=[(None, "too many rows")])
    saved, dups = _unique(name, rows, before)
    outcome = Outcome(saved=saved, refused=refused + dups)
    return outcome


def _unique(name: str, rows: list, before: list) -> tuple[list, list]:
    """Rows as saved: one indicator per name, one co-funding row per call (the first one), and the
    typed rows refused for repeating a row kept before them: (index, reason). A refused row keeps
    what was saved at its index, like any refused row, unless that too repeats an earlier one."""

    def key_of(row):
        return row[0].strip().casefold() if name == "indicators" else row[0] if name == "cofunding" else object()

    saved, seen, dropped = [], set(), []
    for origin, i, row in rows:
        key = key_of(row)
        if key not in seen:
            seen.add(key)
            saved.append(row)
            continue
        if origin == "kept":
            continue  # a refused row's saved value repeating an earlier one: the save keeps the first
        dropped.append((i, "duplicate"))
        old = before[i] if i < len(before) else None
        if old is not None and key_of(old) not in seen:
            seen.add(key_of(old))
            saved.append(old)
    if name == "lines":  # BudgetLine is ordered by year, then position
        saved = [r for _i, r in sorted(enumerate(saved), key=lambda p: (p[1][1], p[0]))]
    return saved, dropped


# -- one step: what the database must hold, what must be refused with a message

FIELDS = {  # step -> {field: rule}; "money" amounts are MoneyField's, "box" a checkbox
    "project": {"title": (200, True), "summary": (2000, False), "concerted": "box"},
    "budget": {"year_1": ("money", True), "year_2": ("money", False), "year_3": ("money", False)},
    "partners": {},
    "sustainability": {"sustainability_plan": (3000, False)},
}
STEP_ROWS = {
    "budget": ["lines", "cofunding"],
    "partners": ["partners", "indicators"],
    "project": [],
    "sustainability": [],
}


@dataclass
class Expected:
    """What one request to a step must leave: the step's parts in the database, and the parts refused."""

    saved: dict
    refused: list = field(default_factory=list)  # (part, row index or None, reason)


def expect(step: str, data: dict, before: dict, base: Baseline, language: str, *, partial: bool) -> Expected:
    saved = dict(before)
    refused = []
    years = dict(before["years"]) if step == "budget" else None
    for name, rule in FIELDS[step].items():
        key = f"{step}-{name}"
        if rule == "box":
            if key in data or not partial:  # a full step POST without the box is an unticked box
                saved[name] = ticked(data[key]) if key in data else False
            continue
        if key not in data:
            continue
        if rule[0] == "money":
            value = expected_amount(data[key], language, required=rule[1])
            if value == "invalid":
                refused.append((name, None, "field"))
            else:
                years[int(name[5:])] = value
        else:
            value = expected_text(data[key], *rule)
            if value is None:
                refused.append((name, None, "field"))
            else:
                saved[name] = value
    if years is not None and any(f"budget-year_{y}" in data for y in (1, 2, 3)):
        values = [years.get(y) for y in (1, 2, 3)]
        while values and values[-1] is None:
            values.pop()
        saved["years"] = {y: v if v is not None else Decimal("0") for y, v in enumerate(values, 1)}
    for name in STEP_ROWS[step]:
        outcome = formset_outcome(name, data, before[name], base, language)
        if outcome is None:
            continue
        saved[name] = outcome.saved
        refused += [(name, i, reason) for i, reason in outcome.refused]
    return Expected(saved=saved, refused=refused)


def assert_saved(after: dict, expected: Expected, data: dict) -> None:
    def same(a: dict, b: dict) -> bool:
        # Co-funding rows have no order of their own.
        return {**a, "cofunding": sorted(a.get("cofunding", []))} == {**b, "cofunding": sorted(b.get("cofunding", []))}

    assert same(after, expected.saved), (after, expected.saved, data)


@st.composite
def rows_payload(draw, name: str, base: Baseline, huge: bool) -> dict:
    step, _max = FORMSETS[name]
    prefix = f"{step}-{name}"
    good = {"partners": BASE_PARTNERS, "indicators": BASE_INDICATORS, "lines": BASE_LINES}.get(name, [])
    money = weighted((2, st.sampled_from(["5000", "5 000,00 $", "$5,000.00", "1000", "30000", "600"])), (2, AMOUNT))
    values = {
        "name": ROW_TEXT,
        "role": ROW_TEXT,
        "unit": ROW_TEXT,
        "label": ROW_TEXT,
        "baseline": AMOUNT,
        "target": AMOUNT,
        "target_1": AMOUNT,
        "target_2": AMOUNT,
        "target_3": AMOUNT,
        "year": weighted(
            (3, st.sampled_from(["1", "2", "3"])),
            (1, st.sampled_from(["0", "4", "-1", "", "1.0", " 2 ", "١", "１"])),
            (1, TEXT),
        ),
        "call": weighted(
            (4, st.sampled_from([str(pk) for pk in base.calls])),
            (1, st.sampled_from(["", "0", "-1", "99999", " 1", "2.0"])),
            (1, TEXT),
        ),
        "amount": money,
    }
    fields = [k for k in row_oracle(name, base).base_fields if k != "DELETE"]
    counts = st.one_of(COUNTS, st.sampled_from(HUGE_COUNTS)) if huge else COUNTS
    data = {f"{prefix}-TOTAL_FORMS": draw(counts), f"{prefix}-INITIAL_FORMS": draw(INITIAL_COUNTS)}
    for i in range(3):
        if draw(st.integers(0, 4)) == 0:
            continue  # a row left out of the request
        if good and draw(st.integers(0, 3)) == 0:
            # A saved row sent back as the page shows it (maybe at another index).
            pick = draw(st.sampled_from(good))
            row = {k: v for k, v in pick.items() if k != "targets"}
            row.update({f"target_{y}": pick["targets"].get(y, "") for y in (1, 2, 3)} if name == "indicators" else {})
        else:
            row = {k: draw(values[k]) for k in fields if draw(st.integers(0, 9))}
        if draw(st.integers(0, 7)) == 0:
            row["DELETE"] = draw(CHECKBOX)
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@st.composite
def step_payload(draw, step: str, base: Baseline, huge: bool = False) -> dict:
    data = {}
    for name, rule in FIELDS[step].items():
        if draw(st.booleans()):
            if rule == "box":
                data[f"{step}-{name}"] = draw(CHECKBOX)
            elif rule[0] == "money":
                data[f"{step}-{name}"] = draw(weighted((1, st.sampled_from(["20 000", "$15,000", "0"])), (2, AMOUNT)))
            else:
                data[f"{step}-{name}"] = draw(weighted((2, GOOD_TEXT), (1, TEXT)))
    for name in STEP_ROWS[step]:
        if draw(st.integers(0, 3)):
            data.update(draw(rows_payload(name, base, huge)))
    if draw(st.booleans()):
        junk = [
            "junk",
            f"{step}-unknown",
            "version2",
            "project-question_999",
            "budget-year_4",
            "partners-partners-7-name",
        ]
        data[draw(st.sampled_from(junk))] = draw(TEXT)
    return data


def _client(user, language: str, *, cookie: bool = False) -> tuple[Client, dict]:
    """A signed-in client in `language`: French by default, English by Accept-Language or the language cookie."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if language == "fr":
        return client, {}
    if cookie:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client, {}
    return client, {"HTTP_ACCEPT_LANGUAGE": language}


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # FUZZ_EXAMPLES=500 for a deeper search
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STEPS = ["project", "budget", "partners", "sustainability"]


def check_page(response, step: str, data: dict, expected: Expected, language: str) -> None:
    """A step page sent back: each refused part has its own error, shown, in `language`, with what was typed."""
    form = response.context["wizard"]["form"]
    html = response.content.decode()
    assert response["Content-Language"] == language
    assert "<script>alert(1)</script>" not in html
    shown = [str(m) for messages in form.errors.values() for m in messages]
    for formset in form.sent_formsets().values():
        shown += [str(m) for m in formset.non_form_errors()]
        shown += [str(m) for row in formset.forms[:3] for messages in row.errors.values() for m in messages]
    assert shown, "a refused step says why"
    for message in shown:
        assert message.strip()
        assert_in_language(message, language)
        assert escape(message) in html, message
    formsets = form.formsets()
    for part, i, reason in expected.refused:
        if part not in formsets:
            assert form.errors.get(part), (part, data[f"{step}-{part}"])
            assert form[part].value() == normalised(data[f"{step}-{part}"])
        elif i is None:
            assert formsets[part].non_form_errors(), (part, reason, data)
        else:
            row = formsets[part].forms[i]
            assert row.errors, (part, i, reason, data)
            for name in row.fields:
                key = f"{row.prefix}-{name}"
                if key in data and name != "DELETE":
                    assert row[name].value() == normalised(data[key]), key


def check_autosave_errors(body: dict, step: str, data: dict, expected: Expected, language: str) -> None:
    """Each refused part named in the answer, with a message in `language`: a field's or a row's
    under its html name (`errors`), one about a row set as a whole under its prefix (`general_errors`)."""
    errors, general = body["errors"], body.get("general_errors", {})
    assert_clear_errors(errors, language)
    for messages in general.values():
        assert all(m.strip() for m in messages)
        for message in messages:
            assert_in_language(message, language)
    with translation.override(language):
        if errors:
            template = translation.gettext("Saved at %(time)s, except the fields marked in error.")
        elif any(general.values()):
            template = translation.gettext("Saved at %(time)s, except what the messages above the fields explain.")
        else:
            template = translation.gettext("Saved at %(time)s")
    assert body["message"] == template % {"time": body["saved_at"]}, body["message"]
    for part, i, reason in expected.refused:
        prefix = f"{step}-{part}"
        if part not in STEP_ROWS[step]:
            assert errors.get(prefix), (part, data[prefix], errors)
        elif i is None:
            assert general.get(prefix), (part, reason, general)
        else:
            assert any(k.startswith(f"{prefix}-{i}-") for k in errors), (part, i, reason, errors)


# The version a page sends: the one it was loaded at, an older one, one never handed out, or none.
VERSIONS = st.sampled_from(["current"] * 8 + ["older", "above", "", "x", "0", "-1", "1e3", " "])


def version_value(marker: str, application: Application) -> str:
    return {"current": application.version, "older": application.version - 1, "above": application.version + 1}.get(
        marker, marker
    )


def version_answers(version: str, application: Application) -> tuple[int, ...]:
    """The statuses a save may answer: 409 for an older version (when the step was saved since),
    400 for a version the application never had."""
    try:
        number = int(normalised(version))
    except ValueError:
        return (400,)
    if number == application.version:
        return (200,)
    return (200, 409) if 0 < number < application.version else (400,)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", STEPS)
def test_it_survives_anything_sent_to_a_step(draft, baseline, applicant, step, language):
    client, headers = _client(applicant, language)
    url = reverse("forms:wizard_step", args=[draft.pk, step])

    @FUZZ
    @given(data=step_payload(step, baseline), marker=VERSIONS)
    def run(data, marker):
        application = reset(draft, baseline)
        before = state(application, step)
        version = str(version_value(marker, application))
        payload = {f"{WIZARD_PREFIX}-current_step": step, **data, "version": version}
        response = client.post(url, payload, **headers)
        allowed = {200: (200, 302), 409: (409,), 400: (400,)}
        assert response.status_code in sum((allowed[a] for a in version_answers(version, application)), ()), (
            response.status_code
        )
        if response.status_code in (400, 409):
            assert state(application, step) == before, "nothing is saved without the page's version"
            if response.status_code == 400:
                with translation.override(language):
                    title = translation.gettext("Nothing was saved")
                assert_in_language(title, language)
                assert title in response.content.decode()
            assert response.status_code == 400 or response.context["conflict"]
            form = response.context["wizard"]["form"]
            for name in FIELDS[step]:
                if f"{step}-{name}" in data and FIELDS[step][name] != "box":
                    assert form[name].value() == normalised(data[f"{step}-{name}"]), "what was typed is shown"
            return
        expected = expect(step, data, before, baseline, language, partial=False)
        assert_saved(state(application, step), expected, data)
        if response.status_code == 302:
            assert not expected.refused, expected.refused
        else:
            check_page(response, step, data, expected, language)

    run()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", STEPS)
def test_it_survives_anything_sent_to_autosave(draft, baseline, applicant, step, language):
    client, headers = _client(applicant, language, cookie=True)
    url = reverse("forms:autosave", args=[draft.pk, step])

    @FUZZ
    @given(data=step_payload(step, baseline, huge=True), marker=st.one_of(VERSIONS, TEXT))
    def run(data, marker):
        application = reset(draft, baseline)
        before = state(application, step)
        version = str(version_value(marker, application))
        response = client.post(url, {**data, "version": version}, **headers)
        assert response.status_code in version_answers(version, application), response.status_code
        body = response.json()
        assert body["message"].strip()
        assert_in_language(body["message"], language)
        if response.status_code != 200:
            assert state(application, step) == before, "nothing is written on a refused save"
            return
        expected = expect(step, data, before, baseline, language, partial=True)
        assert_saved(state(application, step), expected, data)
        check_autosave_errors(body, step, data, expected, language)

    run()


@pytest.mark.parametrize("count", HUGE_COUNTS)
def test_it_refuses_rows_past_the_limit_on_a_step_page(draft, baseline, applicant, count):
    application = reset(draft, baseline)
    client, _headers = _client(applicant, "fr")
    before = state(application, "partners")
    data = {"partners-partners-TOTAL_FORMS": count, "partners-partners-INITIAL_FORMS": "0"}
    data |= {"partners-partners-0-name": "Nouveau", "partners-partners-0-role": "Rôle"}
    response = _post(client, application, "partners", data, autosave=False)
    assert response.status_code == 200
    assert state(application, "partners") == before
    expected = Expected(saved=before, refused=[("partners", None, "too many rows")])
    check_page(response, "partners", data, expected, "fr")


# -- defects found by the property tests, each reproduced by one request


def _post(client, application, step: str, data: dict, *, autosave: bool):
    payload = {**data, "version": str(application.version)}
    if autosave:
        return client.post(reverse("forms:autosave", args=[application.pk, step]), payload)
    payload[f"{WIZARD_PREFIX}-current_step"] = step
    return client.post(reverse("forms:wizard_step", args=[application.pk, step]), payload)


@pytest.mark.parametrize("autosave", [True, False], ids=["autosave", "step"])
@pytest.mark.parametrize(
    "step,data",
    [
        ("budget", {"budget-year_1": "sNaN"}),
        (
            "budget",
            {"budget-lines-TOTAL_FORMS": "1", "budget-lines-INITIAL_FORMS": "1", "budget-lines-0-amount": "sNaN"},
        ),
        (
            "partners",
            {"partners-indicators-TOTAL_FORMS": "1", "partners-indicators-INITIAL_FORMS": "1"}
            | {
                "partners-indicators-0-name": "F",
                "partners-indicators-0-unit": "f",
                "partners-indicators-0-target": "sNaN",
            },
        ),
    ],
    ids=["year", "budget-line", "indicator"],
)
def test_it_refuses_a_signalling_nan_amount_without_a_server_error(draft, baseline, applicant, step, data, autosave):
    application = reset(draft, baseline)
    client, _headers = _client(applicant, "fr")
    before = state(application, step)
    response = _post(client, application, step, data, autosave=autosave)
    assert response.status_code == 200, response.status_code
    after = state(application, step)
    # The amount is refused beside its field; what it would have replaced is as saved. (The page sent
    # one row: a saved row after it is one the page removed, a separate matter.)
    if autosave:
        assert any("sNaN" not in m and m for m in sum(response.json()["errors"].values(), [])), response.json()
    else:
        assert response.context["wizard"]["form"].errors or any(
            f.errors for fs in response.context["wizard"]["form"].formsets().values() for f in fs.forms
        )
    for key, value in before.items():
        if isinstance(value, list):
            assert after[key][:1] == value[:1], key
        else:
            assert after[key] == value, key


@pytest.mark.parametrize("autosave", [True, False], ids=["autosave", "step"])
def test_it_keeps_a_saved_row_sent_back_unchanged_after_an_autosave(draft, baseline, applicant, autosave):
    application = reset(draft, baseline)
    client, _headers = _client(applicant, "fr")
    # The page was loaded with one partner (INITIAL_FORMS 1); autosave has since saved the second.
    rows = [{**BASE_PARTNERS[0], "role": "Références"}, BASE_PARTNERS[1]]
    data = {"partners-partners-TOTAL_FORMS": "3", "partners-partners-INITIAL_FORMS": "1"}
    data |= {f"partners-partners-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()}
    response = _post(client, application, "partners", data, autosave=autosave)
    assert response.status_code in (200, 302)
    assert state(application, "partners")["partners"] == [(r["name"], r["role"]) for r in rows]


@pytest.mark.parametrize(
    "step,data,row",
    [
        # Row 0 is refused (a name too long), so the saved "Familles rejointes" is kept; row 1 repeats it.
        ("partners", {"partners-indicators-0-name": "x" * 201, "partners-indicators-1-name": "Familles rejointes"}, 1),
        # Row 0 is refused (an amount out of the call's range), keeping the saved "Autre appel" row.
        ("budget", {"budget-cofunding-0-amount": "999999", "budget-cofunding-1-amount": "2000"}, 1),
        # Two new indicators with the same name while another row is refused.
        ("partners", {"partners-indicators-0-name": "Neuf", "partners-indicators-1-name": "neuf "}, 1),
    ],
    ids=["indicator-repeats-kept", "cofunding-repeats-kept", "indicator-repeat-with-a-refused-row"],
)
def test_it_explains_a_row_left_out_for_repeating_another(draft, baseline, applicant, step, data, row):
    application = reset(draft, baseline)
    client, _headers = _client(applicant, "en")
    name = "indicators" if step == "partners" else "cofunding"
    prefix = f"{step}-{name}"
    rows = {
        "indicators": {"unit": "u", "target": "1"},
        "cofunding": {"call": str(baseline.other.pk)},
    }[name]
    payload = {f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "2"}
    payload |= {f"{prefix}-{i}-{k}": v for i in (0, 1) for k, v in rows.items()} | data
    if "Neuf" in data.values():
        payload |= {f"{prefix}-2-name": "x" * 201, f"{prefix}-2-unit": "u", f"{prefix}-2-target": "1"}
    response = _post(client, application, step, payload, autosave=False)
    assert response.status_code == 200
    form = response.context["wizard"]["form"]
    assert form.formsets()[name].forms[row].errors or form.non_field_errors(), "the row left out says why"
