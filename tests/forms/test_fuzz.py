"""Random and hostile input to every wizard step and to autosave (hypothesis).

Whatever is sent: never a server error, a clear message for what is refused, and every value
that was valid when typed is in the database afterwards.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.forms import MoneyField
from forms.models import Application

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
        "{{ 7*7 }}",
        "NaN",
        "Infinity",
        "1e999",
        "-0",
        "9" * 40,
        "12 000,50",
        "$12,000.50",
        "١٢٣",
        "🙂" * 10,
        "x" * 5000,
        "\r\n\t",
        "../../etc/passwd",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))

TEXT_FIELDS = {  # step -> {field: (max_length, required)}
    "project": {"title": (200, True), "summary": (2000, False)},
    "sustainability": {"sustainability_plan": (3000, False)},
}
ROW_FIELDS = {
    "partners": ["partners-partners", ["name", "role"]],
    "indicators": ["partners-indicators", ["name", "unit", "baseline", "target", "target_1", "DELETE"]],
    "lines": ["budget-lines", ["label", "year", "amount", "DELETE"]],
    "cofunding": ["budget-cofunding", ["call", "amount"]],
}
STEP_KEYS = {
    "project": ["project-title", "project-summary", "project-concerted"],
    "budget": ["budget-year_1", "budget-year_2", "budget-year_3"],
    "partners": [],
    "sustainability": ["sustainability-sustainability_plan"],
}
STEP_ROWS = {
    "budget": ["lines", "cofunding"],
    "partners": ["partners", "indicators"],
    "project": [],
    "sustainability": [],
}


@st.composite
def step_payload(draw, step: str):
    data = {}
    for key in STEP_KEYS[step]:
        if draw(st.booleans()):
            data[key] = draw(TEXT)
    for name in STEP_ROWS[step]:
        if draw(st.booleans()):
            prefix, fields = ROW_FIELDS[name]
            total = draw(st.one_of(st.integers(0, 3), st.sampled_from([-1, 1000, 10**9])))
            data[f"{prefix}-TOTAL_FORMS"] = draw(st.one_of(st.just(str(total)), TEXT))
            data[f"{prefix}-INITIAL_FORMS"] = draw(st.sampled_from(["0", "1", "x", "-5"]))
            for i in range(max(0, min(total, 3))):
                for field in fields:
                    if draw(st.booleans()):
                        data[f"{prefix}-{i}-{field}"] = draw(TEXT)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["junk", f"{step}-unknown", "version2", "project-question_999"]))] = draw(TEXT)
    return data


def expected_text(value: str, max_length: int, required: bool) -> str | None:
    """What the database must hold after sending `value`, or None when the value is invalid."""
    if "\x00" in value:
        return None
    stripped = value.replace("\r\n", "\n").strip()
    if len(stripped) > max_length or (required and not stripped):
        return None
    return stripped


def expected_amount(value: str):
    with translation.override("fr"):
        try:
            return MoneyField(required=False).clean(value)
        except Exception:  # noqa: BLE001
            return "invalid"


def check_saved(application: Application, step: str, data: dict) -> None:
    application.refresh_from_db()
    for field, (max_length, required) in TEXT_FIELDS.get(step, {}).items():
        key = f"{step}-{field}"
        if key in data:
            expected = expected_text(data[key], max_length, required)
            if expected is not None:
                assert getattr(application, field) == expected, (key, data[key])
    if step == "budget":
        years = {y.year: y.amount for y in application.years.all()}
        for year in (1, 2, 3):
            key = f"budget-year_{year}"
            if key in data:
                amount = expected_amount(data[key])
                if amount not in ("invalid", None):
                    assert years.get(year) == amount, (key, data[key], years)


def assert_clear_errors(errors: dict) -> None:
    for messages in errors.values():
        assert messages and all(isinstance(m, str) and m.strip() for m in messages)


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("step", ["project", "budget", "partners", "sustainability"])
def test_it_survives_anything_sent_to_autosave(draft, applicant, step):
    client = _client(applicant)

    @FUZZ
    @given(data=step_payload(step), version=st.one_of(st.none(), TEXT))
    def run(data, version):
        draft.refresh_from_db()
        payload = {**data, "version": str(draft.version) if version is None else version}
        response = client.post(reverse("forms:autosave", args=[draft.pk, step]), payload)
        # 409: a random version that reads as an older number is a real edit conflict, answered as one.
        allowed = (200, 400, 409) if version is not None and version.strip().isdigit() else (200, 400)
        assert response.status_code in allowed, response.status_code
        body = response.json()
        assert body["message"].strip()
        if response.status_code == 200:
            assert_clear_errors(body["errors"])
            check_saved(draft, step, data)

    run()


@pytest.mark.parametrize("step", ["project", "budget", "partners", "sustainability"])
def test_it_survives_anything_sent_to_a_step(draft, applicant, step):
    client = _client(applicant)

    @FUZZ
    @given(data=step_payload(step), version=st.one_of(st.none(), st.sampled_from(["", "x", "0", "-1"])))
    def run(data, version):
        draft.refresh_from_db()
        payload = {f"{WIZARD_PREFIX}-current_step": step, **data}
        payload["version"] = str(draft.version) if version is None else version
        response = client.post(reverse("forms:wizard_step", args=[draft.pk, step]), payload)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            form = response.context["wizard"]["form"]
            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            for formset in form.formsets().values():
                if formset.is_bound:
                    errors["__formset__"] = [str(m) for m in formset.non_form_errors()] or ["row errors"]
            assert errors, "a refused step says why"
            assert_clear_errors(errors)
        check_saved(draft, step, data)

    run()
