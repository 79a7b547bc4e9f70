"""The 360Giving open-data export: builder, management command and public URL.

Every package is validated against local copies of the 360Giving 1.4 schemas
(tests/data/360giving), with the grant schema's URL resolved to the local file.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from accounts.models import Organisation
from reporting.opendata import grants_package
from tests import factories as f
from tests.reporting.conftest import fund_application
from tests.workflow.steps import bring_to

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "360giving"
URL = reverse("reporting:open_data_360giving")

# The standard's dates are "date-time or YYYY-MM-DD" (oneOf): without a date-time check
# a plain date matches both branches and fails. jsonschema's own check needs an optional
# package, so the RFC 3339 rule is spelled out here.
FORMATS = FormatChecker()
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value.upper())
    return True


def _validator() -> Draft202012Validator:
    package_schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant_schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    grant = DRAFT202012.create_resource(grant_schema)
    # The package refers to the grant schema by its 1.4.2 URL; the file's own $id is 1.4.3.
    registry = Registry().with_resources(
        [(package_schema["properties"]["grants"]["items"]["$ref"], grant), (grant_schema["$id"], grant)]
    )
    return Draft202012Validator(package_schema, registry=registry, format_checker=FORMATS)


VALIDATOR = _validator()


def schema_errors(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(package)]


def assert_valid(package: dict) -> None:
    assert schema_errors(package) == []


@pytest.fixture
def reviewers(reviewer1, reviewer2):
    return [reviewer1, reviewer2]


@pytest.fixture
def unregistered(db, applicant):
    """An organisation of the Pontiac without a NEQ, of which the applicant is also a member."""
    organisation = f.make_organisation(name="Coop de l'Île-du-Grand-Calumet", mrc_code="084", admin=applicant)
    Organisation.objects.filter(pk=organisation.pk).update(neq="")
    organisation.refresh_from_db()
    return organisation


def award(*, call, organisation, applicant, manager, reviewers, amounts, signed_on, title=None):
    """A new complete draft taken through the workflow services to a signed agreement."""
    application = f.make_draft(call=call, organisation=organisation, by=applicant)
    agreement = fund_application(
        application=application,
        applicant=applicant,
        manager=manager,
        reviewers=reviewers,
        amounts=amounts,
        signed_on=signed_on,
    )
    if title:
        # Only the wording differs, to tell grants apart; the workflow state comes from the services.
        type(application).objects.filter(pk=application.pk).update(title=title)
    return agreement


@pytest.fixture
def two_grants(funded, call, unregistered, applicant, manager, reviewers):
    """`funded` (NEQ known, 35 000 $, 2026-04-01) and an earlier grant with cents to an organisation without NEQ."""
    earlier = award(
        call=call,
        organisation=unregistered,
        applicant=applicant,
        manager=manager,
        reviewers=reviewers,
        amounts=[Decimal("12500.50"), Decimal("10000.25")],
        signed_on=date(2026, 1, 15),
        title="Jardin communautaire",
    )
    return funded.agreement, earlier


# --- the builder ------------------------------------------------------------


def test_it_publishes_one_valid_grant_per_agreement(two_grants, call, organisation, fund):
    funded, earlier = two_grants
    package = grants_package()
    assert_valid(package)
    assert package["version"] == "1.4"
    assert [g["id"] for g in package["grants"]] == [f"360G-guichet-{earlier.pk}", f"360G-guichet-{funded.pk}"]

    grant = package["grants"][1]
    assert grant["title"] == "Cuisine collective de Joliette"
    assert grant["description"] == "Des repas partagés."
    assert grant["currency"] == "CAD"
    assert grant["amountAwarded"] == 35000 and isinstance(grant["amountAwarded"], int)
    assert grant["awardDate"] == "2026-04-01"
    assert grant["plannedDates"] == [{"startDate": "2026-04-01", "endDate": "2028-04-01", "duration": 24}]
    assert grant["recipientOrganization"] == [
        {
            "id": "XI-NEQ-1140000000",
            "name": "Carrefour familial",
            "addressRegion": "Lanaudière",
            "addressCountry": "Canada",
            "location": [{"name": "Joliette", "countryCode": "CA", "geoCode": "061"}],
        }
    ]
    assert grant["fundingOrganization"] == [{"id": f"360G-guichet-funder-{fund.funder_id}", "name": fund.funder.name}]
    assert grant["grantProgramme"] == [{"code": f"call-{call.pk}", "title": "Appel de projets 2026"}]
    assert grant["beneficiaryLocation"] == [{"name": "Joliette", "countryCode": "CA", "geoCode": "061"}]


def test_it_keeps_the_cents_as_a_number_and_names_organisations_without_neq(two_grants, unregistered):
    _, earlier = two_grants
    grant = grants_package()["grants"][0]
    assert grant["amountAwarded"] == 22500.75 and isinstance(grant["amountAwarded"], float)
    assert grant["awardDate"] == "2026-01-15"
    assert grant["title"] == "Jardin communautaire"
    recipient = grant["recipientOrganization"][0]
    assert recipient["id"] == f"360G-guichet-org-{unregistered.pk}"
    assert recipient["addressRegion"] == "Outaouais"
    assert grant["beneficiaryLocation"] == [{"name": "Pontiac", "countryCode": "CA", "geoCode": "084"}]


def test_it_leaves_out_applications_without_an_agreement(draft, call, organisation, applicant, manager, reviewers):
    # Approved, the agreement not yet signed; and a plain draft.
    bring_to("agreement", application=draft, applicant=applicant, manager=manager, reviewers=reviewers)
    f.make_draft(call=call, organisation=organisation, by=applicant)
    package = grants_package()
    assert package["grants"] == []


def test_it_gives_an_empty_package_when_nothing_was_awarded(db):
    package = grants_package()
    assert package["grants"] == []
    # The package schema asks for at least one grant: an empty package fails on that alone.
    assert schema_errors(package) == ["grants: [] should be non-empty"]


def test_it_stamps_the_package_with_the_issue_moment(funded):
    moment = datetime(2026, 5, 2, 9, 30, tzinfo=ZoneInfo("America/Toronto"))
    package = grants_package(at=moment, download_url="https://guichet.example/funders/open-data/360giving.json")
    assert package["issued"] == package["modified"] == "2026-05-02T09:30:00-04:00"
    assert package["downloadURL"] == "https://guichet.example/funders/open-data/360giving.json"
    assert_valid(package)


def test_it_uses_the_configured_prefixes(settings, funded, fund):
    settings.GRANTS_360_PREFIX = "360G-mrcjoliette"
    settings.ORG_ID_PREFIX = "CA-QC-NEQ"
    grant = grants_package()["grants"][0]
    assert grant["id"] == f"360G-mrcjoliette-{funded.agreement.pk}"
    assert grant["recipientOrganization"][0]["id"] == "CA-QC-NEQ-1140000000"
    assert grant["fundingOrganization"][0]["id"] == f"360G-mrcjoliette-funder-{fund.funder_id}"


def test_it_refuses_a_grant_prefix_that_is_not_a_360giving_one(settings, funded):
    settings.GRANTS_360_PREFIX = "guichet"
    with pytest.raises(ValueError):
        grants_package()


def test_the_schema_check_catches_a_malformed_grant(funded):
    """The validation above can fail: a string amount or a wrong currency is reported."""
    package = grants_package()
    package["grants"][0]["amountAwarded"] = "35000.00"
    package["grants"][0]["currency"] = "CAN"
    errors = schema_errors(package)
    assert errors and all(error.startswith("grants/0") for error in errors)


def _queries_for_package() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        grants = grants_package()["grants"]
    return len(queries), len(grants)


def test_its_query_count_does_not_grow_with_grants(call, organisation, unregistered, applicant, manager, reviewers):
    def award_many(n):
        for i in range(n):
            award(
                call=call,
                organisation=organisation if i % 2 else unregistered,
                applicant=applicant,
                manager=manager,
                reviewers=reviewers,
                amounts=[Decimal("10000"), Decimal("5000")],
                signed_on=date(2026, 2, 1 + i),
            )

    award_many(2)
    few, count = _queries_for_package()
    assert count == 2
    award_many(4)
    many, count = _queries_for_package()
    assert count == 6
    assert few == many


# --- the management command -------------------------------------------------


def test_the_command_prints_the_package_as_utf8_json(two_grants, capsys):
    call_command("export_360giving")
    out = capsys.readouterr().out
    assert "Lanaudière" in out  # not \u00e8
    assert '\n  "grants": [' in out  # indented by 2
    package = json.loads(out)
    assert len(package["grants"]) == 2
    assert_valid(package)


def test_the_command_writes_the_package_to_a_file(two_grants, tmp_path, capsys):
    target = tmp_path / "grants.json"
    call_command("export_360giving", "--output", str(target))
    assert capsys.readouterr().out == ""
    text = target.read_text(encoding="utf-8")
    assert "Coop de l'Île-du-Grand-Calumet" in text
    package = json.loads(text)
    assert [g["currency"] for g in package["grants"]] == ["CAD", "CAD"]
    assert_valid(package)


# --- the public URL ---------------------------------------------------------


def test_it_serves_the_package_to_anonymous_visitors(client, two_grants):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'inline; filename="guichet-360giving.json"'
    assert "Lanaudière".encode() in response.content
    package = json.loads(response.content.decode("utf-8"))
    assert package["downloadURL"] == "http://testserver/funders/open-data/360giving.json"
    assert [g["amountAwarded"] for g in package["grants"]] == [22500.75, 35000]
    assert all(g["id"].startswith("360G-") for g in package["grants"])
    assert_valid(package)


def test_it_serves_an_empty_list_when_nothing_was_awarded(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["grants"] == []


@pytest.mark.parametrize(
    "who",
    [
        "applicant",
        "colleague",
        "outsider",
        "advisor",
        "reviewer1",
        "manager",
        "other_manager",
        "funder_user",
        "admin_user",
    ],
)
def test_every_role_can_fetch_it(client, request, funded, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert [g["id"] for g in response.json()["grants"]] == [f"360G-guichet-{funded.agreement.pk}"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client, db, method):
    assert getattr(client, method)(URL).status_code == 405


def test_it_does_not_run_more_queries_with_more_grants_over_http(
    client, call, organisation, applicant, manager, reviewers
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    def award_on(day):
        award(
            call=call,
            organisation=organisation,
            applicant=applicant,
            manager=manager,
            reviewers=reviewers,
            amounts=[Decimal("1000")],
            signed_on=date(2026, 3, day),
        )

    for day in (1, 2):
        award_on(day)
    few = queries()
    for day in (3, 4, 5, 6):
        award_on(day)
    assert queries() == few
