"""The reads of deadline day's hottest requests are hand-written SQL: the row every autosave reads
(forms.selectors.read_for_member) and the row lock every submission takes (lock_draft_for_member)
must give exactly what the ORM gives and check the membership, the second must lock the row;
what_exists must tell each part of the application as it is; rows.update must write what save
would, and with `where` only a row still as read."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fonds.models import Call
from forms import services
from forms.models import Application, CallFormSettings, form_settings
from forms.selectors import _member_sql, lock_draft_for_member, read_for_member
from tests import factories as f

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def orm_twin(pk: int) -> Application:
    return Application.objects.select_related("call__form_settings").get(pk=pk)


# Both reads: the same SQL, with and without the lock.
reads = pytest.mark.parametrize("read", [lock_draft_for_member, read_for_member], ids=["locked", "unlocked"])


@reads
def test_it_gives_what_the_orm_gives_with_form_settings(draft, applicant, read):
    services.call_form_configure(call=draft.call, partners_enabled=False, max_attachments=3, attachments_help="PDF")
    Application.objects.filter(pk=draft.pk).update(copied_steps=["budget"], eligible=True)
    Call.objects.filter(pk=draft.call_id).update(envelope=Decimal("123456.78"))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = read(applicant, draft.pk)
        call, settings = locked.call, locked.call.form_settings
    assert len(queries) == 1  # call and settings came with it
    twin = orm_twin(draft.pk)
    assert fields_of(locked) == fields_of(twin)
    assert fields_of(call) == fields_of(twin.call)
    assert fields_of(settings) == fields_of(twin.call.form_settings)
    assert locked.copied_steps == ["budget"] and call.envelope == Decimal("123456.78")
    assert isinstance(locked.updated_at, type(timezone.now())) and timezone.is_aware(locked.updated_at)
    assert settings.max_attachments == 3 and settings.partners_enabled is False
    assert locked._state.adding is False and locked._state.db == "default"


@reads
def test_it_gives_the_default_settings_when_the_call_has_none(draft, applicant, read):
    CallFormSettings.objects.filter(call=draft.call).delete()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = read(applicant, draft.pk)
        settings = form_settings(locked.call)
    assert len(queries) == 1
    assert settings.pk is None and settings.partners_enabled == CallFormSettings().partners_enabled
    assert fields_of(locked.call) == fields_of(Call.objects.get(pk=draft.call_id))


@reads
def test_it_gives_nothing_to_a_non_member_or_for_a_missing_application(draft, applicant, outsider, manager, read):
    with transaction.atomic():
        assert read(outsider, draft.pk) is None
        assert read(manager, draft.pk) is None
        assert read(applicant, draft.pk + 1000) is None
    applicant.is_active = False
    with transaction.atomic():
        assert read(applicant, draft.pk) is None


def test_it_saves_through_the_locked_instance(draft, applicant):
    closes = timezone.now() + timedelta(days=3)
    Call.objects.filter(pk=draft.call_id).update(closes_at=closes)
    with transaction.atomic():
        locked = lock_draft_for_member(applicant, draft.pk)
        assert locked.call.closes_at == closes
        locked.title = "Titre changé"
        locked.save(update_fields=["title"])
    assert Application.objects.get(pk=draft.pk).title == "Titre changé"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_it_locks_the_application_row_only():
    assert _member_sql(connection.vendor, True).endswith("FOR UPDATE OF a")
    assert "FOR UPDATE" not in _member_sql(connection.vendor, False)


def test_rows_update_with_where_writes_only_a_row_still_as_read(draft):
    from config import rows

    read_version = draft.version
    Application.objects.filter(pk=draft.pk).update(version=read_version + 1)  # another save came first
    draft.title = "Le mien"
    assert rows.update(draft, ["title"], where={"version": read_version}) is False
    assert Application.objects.get(pk=draft.pk).title != "Le mien"
    assert rows.update(draft, ["title"], where={"version": read_version + 1, "status": "submitted"}) is False
    assert rows.update(draft, ["title"], where={"version": read_version + 1, "status": draft.status}) is True
    assert Application.objects.get(pk=draft.pk).title == "Le mien"


@reads
def test_a_colleague_of_another_organisation_sharing_the_call_gets_nothing(draft, call, outsider, read):
    theirs = f.make_draft(call=call, organisation=outsider.memberships.get().organisation, by=outsider)
    with transaction.atomic():
        assert read(outsider, theirs.pk).pk == theirs.pk
        assert read(outsider, draft.pk) is None


def test_what_exists_tells_each_part(draft, call):
    from fonds.models import ChecklistItem
    from forms.models import CallQuestion, ChecklistAnswer, CoFundingRequest, Indicator, Partner
    from forms.services import what_exists

    Indicator.objects.filter(application=draft).delete()
    Partner.objects.filter(application=draft).delete()
    ChecklistAnswer.objects.filter(application=draft).delete()
    CallQuestion.objects.filter(call=call).delete()
    CoFundingRequest.objects.filter(application=draft).delete()
    assert what_exists(draft) == {
        "indicators": False, "partners": False, "cofunding": False, "unjustified": False, "required_questions": False
    }  # fmt: skip

    Indicator.objects.create(application=draft, name="Familles", unit="familles", baseline=0, target=10)
    Partner.objects.create(application=draft, name="CLSC", role="Accueil")
    CoFundingRequest.objects.create(
        application=draft, call=f.make_call(fund=call.fund, title="Autre appel"), amount=1000
    )
    item = ChecklistItem.objects.filter(criterion__call=call).first()
    answer = ChecklistAnswer.objects.create(application=draft, item=item, checked=True, justification="Parce que.")
    CallQuestion.objects.create(call=call, label="Facultative", required=False)
    found = what_exists(draft)
    assert found == {
        "indicators": True, "partners": True, "cofunding": True, "unjustified": False, "required_questions": False
    }  # fmt: skip

    ChecklistAnswer.objects.filter(pk=answer.pk).update(justification="")
    CallQuestion.objects.create(call=call, label="Obligatoire", required=True)
    found = what_exists(draft)
    assert found["unjustified"] is True and found["required_questions"] is True
    ChecklistAnswer.objects.filter(pk=answer.pk).update(checked=False)
    assert what_exists(draft)["unjustified"] is False
    # Another application's parts do not count.
    other = f.make_draft(call=call, organisation=draft.organisation, by=draft.created_by)
    Indicator.objects.filter(application=other).delete()
    assert what_exists(other)["indicators"] is False and what_exists(other)["cofunding"] is False


def test_rows_update_writes_what_save_would(draft, applicant, colleague):
    from django.db import DatabaseError

    from config import rows

    at = timezone.now() - timedelta(hours=2)
    draft.title, draft.updated_at, draft.updated_by = "Nouveau titre", at, colleague
    draft.saved_steps = {"project": {"version": 9, "by": colleague.pk, "at": at.isoformat()}}
    draft.copied_steps = ["budget"]
    rows.update(draft, ["title", "updated_at", "updated_by", "saved_steps", "copied_steps"])
    fresh = Application.objects.get(pk=draft.pk)
    assert (fresh.title, fresh.updated_at, fresh.updated_by_id) == ("Nouveau titre", at, colleague.pk)
    assert fresh.saved_steps == draft.saved_steps and fresh.copied_steps == ["budget"]
    assert fresh.summary == draft.summary  # a field not named is not written

    Application.objects.filter(pk=draft.pk).update(title="Autre")
    draft.summary = "Changé"
    rows.update(draft, ["summary"])
    assert Application.objects.get(pk=draft.pk).title == "Autre"

    gone = Application(pk=draft.pk + 1000, title="x")
    with pytest.raises(DatabaseError):
        rows.update(gone, ["title"])


def test_budget_years_are_what_the_orm_gives(draft):
    from forms.models import BudgetYear
    from forms.services import budget_years

    services.application_save_budget(application=draft, amounts=[Decimal("12500.50"), Decimal("0.10"), Decimal("7")])
    found = budget_years(draft)
    expected = list(BudgetYear.objects.filter(application=draft).order_by("year"))
    assert [fields_of(y) for y in found] == [fields_of(y) for y in expected]
    assert [y.amount for y in found] == [Decimal("12500.50"), Decimal("0.10"), Decimal("7")]
    assert all(isinstance(y.amount, Decimal) for y in found)


def test_the_budget_years_read_with_the_application_are_what_the_orm_gives(draft, applicant, django_assert_num_queries):
    from forms.models import BudgetYear
    from forms.services import budget_years

    amounts = [Decimal("12500.50"), Decimal("0.10"), Decimal("7"), Decimal("9999999999.99")]
    services.application_save_budget(application=draft, amounts=amounts)
    expected = [fields_of(y) for y in BudgetYear.objects.filter(application=draft).order_by("year")]
    with django_assert_num_queries(1):
        read = read_for_member(applicant, draft.pk, years=True)
        found = budget_years(read)  # held: no query
    assert [fields_of(y) for y in found] == expected
    assert [str(y.amount) for y in found] == ["12500.50", "0.10", "7.00", "9999999999.99"]
    assert fields_of(read) == fields_of(Application.objects.get(pk=draft.pk))

    # Written, the years held are let go: the next read is the database's.
    services.application_save_budget(application=read, amounts=[Decimal("1")], read=services.Read.UNLOCKED)
    assert [(y.year, y.amount) for y in budget_years(read)] == [(1, Decimal("1.00"))]
    services.application_save_budget(application=draft, amounts=[])
    assert budget_years(read_for_member(applicant, draft.pk, years=True)) == []


def test_the_years_are_never_read_under_the_lock():
    with pytest.raises(ValueError):
        _member_sql(connection.vendor, True, False, True)


@pytest.mark.parametrize("read", [services.Read.AGAIN, services.Read.UNLOCKED])
def test_budget_years_are_replaced_in_place_and_beyond_the_last_one_deleted(draft, read):
    """On PostgreSQL the row's own UPDATE writes them (unlocked: one statement, no transaction);
    elsewhere a DELETE and an upsert after it, in a transaction."""
    from forms.models import BudgetYear

    def saved():
        return [(y.year, y.amount) for y in BudgetYear.objects.filter(application=draft).order_by("year")]

    def save(application, amounts):
        services.application_save_budget(application=application, amounts=amounts, read=read)

    save(draft, [Decimal("100.10"), Decimal("200"), Decimal("3")])
    assert saved() == [(1, Decimal("100.10")), (2, Decimal("200.00")), (3, Decimal("3.00"))]
    first = BudgetYear.objects.get(application=draft, year=1).pk
    save(draft, [Decimal("0.50")])
    assert saved() == [(1, Decimal("0.50"))]
    assert BudgetYear.objects.get(application=draft, year=1).pk == first  # updated, not replaced
    save(draft, [Decimal("7"), Decimal("8")])
    assert saved() == [(1, Decimal("7.00")), (2, Decimal("8.00"))]
    save(draft, [])
    assert saved() == []
    other = f.make_draft(call=draft.call, organisation=draft.organisation, by=draft.created_by)
    save(other, [Decimal("1")])
    save(draft, [Decimal("2")])
    assert [(y.year, y.amount) for y in other.years.all()] == [(1, Decimal("1.00"))]  # another draft's years stay


def test_rows_update_then_writes_other_rows_only_with_the_row(draft):
    """rows.update(then=...): the other rows' statements run in the row's UPDATE, only if it writes."""
    from config import rows
    from forms.models import BudgetYear

    note = f"UPDATE {rows.table(BudgetYear)} SET {rows.column(BudgetYear, 'amount')} = %s"
    then = ((note + f" WHERE {rows.column(BudgetYear, 'application')} = (SELECT pk FROM written)", [Decimal("5")]),)
    if connection.vendor != "postgresql":
        with pytest.raises(ValueError):
            rows.update(draft, ["title"], then=then)
        return
    services.application_save_budget(application=draft, amounts=[Decimal("1"), Decimal("2")])
    draft.refresh_from_db()
    draft.title = "Pas écrit"
    assert rows.update(draft, ["title"], where={"version": draft.version - 1}, then=then) is False
    assert list(draft.years.values_list("amount", flat=True)) == [Decimal("1.00"), Decimal("2.00")]
    draft.title = "Écrit"
    assert rows.update(draft, ["title"], where={"version": draft.version}, then=then) is True
    assert Application.objects.get(pk=draft.pk).title == "Écrit"
    assert list(draft.years.values_list("amount", flat=True)) == [Decimal("5.00")] * 2


def test_the_hot_statements_are_prepared_on_a_kept_connection(draft, applicant, monkeypatch):
    """On PostgreSQL with connections kept between requests, the member read is prepared once on the
    connection (PostgreSQL plans it once); with a connection per request, nothing is prepared."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL=postgres://...)")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%" + "EXISTS (SELECT 1 FROM%"]
            )
            return cursor.fetchone()[0]

    before = prepared()
    read_for_member(applicant, draft.pk)
    assert prepared() == before  # CONN_MAX_AGE=0 in the tests: a connection per request
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    for _ in range(3):
        assert read_for_member(applicant, draft.pk).pk == draft.pk
    assert prepared() == before + 1


def test_every_hot_statement_works_prepared(client, draft, applicant, monkeypatch):
    """Each hand-written statement, bound server-side and prepared: the autosave of each step, the
    locked save, what exists, the years, the submission."""
    from django.urls import reverse

    from forms.services import budget_years, what_exists
    from workflow.services import application_submit

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL=postgres://...)")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    client.force_login(applicant)
    for turn in range(2):  # the second turn runs them prepared
        draft.refresh_from_db()
        for step, data in (
            ("project", {"project-title": f"Titre {turn}", "project-summary": f"Résumé {turn}."}),
            ("budget", {"budget-year_1": f"1900{turn}", "budget-year_2": f"900{turn}"}),
            ("sustainability", {"sustainability-sustainability_plan": f"Plan {turn}."}),
        ):
            response = client.post(reverse("forms:autosave", args=[draft.pk, step]), {"version": draft.version, **data})
            assert response.status_code == 200 and response.json()["saved"] is True, response.content
            draft.refresh_from_db()
        services.application_save_budget(application=draft, amounts=[Decimal("19000.50"), Decimal(turn)])
        assert [(y.year, y.amount) for y in budget_years(draft)] == [(1, Decimal("19000.50")), (2, Decimal(turn))]
        exists = what_exists(draft)
        assert (exists["indicators"], exists["partners"], exists["cofunding"]) == (
            draft.indicators.exists(),
            draft.partners.exists(),
            draft.cofunding_requests.exists(),
        )
    draft.refresh_from_db()
    assert (draft.title, draft.sustainability_plan) == ("Titre 1", "Plan 1.")
    submitted = application_submit(application=draft.pk, by=applicant)
    assert submitted.status == Application.Status.SUBMITTED
