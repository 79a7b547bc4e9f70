"""Autosave reads the application without a lock and writes only if the row is still as read.

Another save, or the submission, between its read and its write must never be overwritten: the
autosave reads again and decides again (save, conflict or "submitted"), and after a few such turns
it takes the row lock. On PostgreSQL, real concurrent requests never lose an acknowledged save.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forms import autosave as autosave_view
from forms import services
from forms.models import Application
from tests import factories as f
from workflow import services as workflow_services

pytestmark = pytest.mark.django_db


def post(client, application, step, data, version):
    return client.post(reverse("forms:autosave", args=[application.pk, step]), {"version": str(version), **data})


@pytest.fixture
def reads(spy_reads):
    return lambda after: spy_reads(autosave_view, "read_for_member", "lock_draft_for_member", after)


def test_a_save_of_another_step_in_between_is_kept_and_so_is_this_one(client, draft, applicant, colleague, reads):
    client.force_login(applicant)
    version = draft.version

    def colleague_saves(n):
        if n == 1:
            services.application_save_sustainability(
                application=draft, sustainability_plan="Plan du collègue.", by=colleague, expected_version=version
            )

    made = reads(colleague_saves)
    response = post(client, draft, "project", {"project-title": "Mon titre"}, version)
    assert response.status_code == 200 and response.json()["saved"] is True, response.content
    assert made == ["unlocked", "unlocked"]  # read again once the colleague's save was seen
    draft.refresh_from_db()
    assert (draft.title, draft.sustainability_plan) == ("Mon titre", "Plan du collègue.")
    assert draft.version == version + 2 and response.json()["version"] == draft.version
    assert draft.saved_steps["project"]["by"] == applicant.pk
    assert draft.saved_steps["sustainability"]["by"] == colleague.pk


def test_a_save_of_the_same_step_in_between_is_a_conflict_not_an_overwrite(client, draft, applicant, colleague, reads):
    client.force_login(applicant)
    version = draft.version

    def colleague_saves(n):
        if n == 1:
            services.application_save_project(
                application=draft, title="Titre du collègue", by=colleague, expected_version=version
            )

    reads(colleague_saves)
    response = post(client, draft, "project", {"project-title": "Mon titre"}, version)
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True and body["version"] == version + 1
    assert body["fields"][0]["theirs"] == "Titre du collègue" and body["fields"][0]["yours"] == "Mon titre"
    assert Application.objects.get(pk=draft.pk).title == "Titre du collègue"


def test_a_submission_in_between_is_answered_submitted_and_nothing_is_written(client, draft, applicant, reads):
    client.force_login(applicant)
    version, title = draft.version, draft.title

    def colleague_submits(n):
        if n == 1:
            workflow_services.application_submit(application=draft.pk, by=applicant, at=timezone.now())

    reads(colleague_submits)
    response = post(client, draft, "project", {"project-title": "Trop tard"}, version)
    assert response.status_code == 423
    assert response.json()["message"] == "Cette demande a été déposée; elle ne peut plus être modifiée."
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED and draft.title == title


def test_a_row_that_keeps_changing_is_locked_and_the_save_waits_its_turn(client, draft, applicant, colleague, reads):
    """Every unlocked read is followed by another save: after UNLOCKED_ATTEMPTS turns the row is
    locked, and this save goes through, after the others, keeping theirs."""
    client.force_login(applicant)
    version = draft.version

    def colleague_saves(n):
        services.application_save_sustainability(
            application=draft, sustainability_plan=f"Plan {n}", by=colleague, expected_version=None
        )

    made = reads(colleague_saves)
    response = post(client, draft, "project", {"project-title": "Mon titre"}, version)
    assert response.status_code == 200 and response.json()["saved"] is True
    assert made == ["unlocked"] * services.UNLOCKED_ATTEMPTS + ["locked"]
    draft.refresh_from_db()
    assert draft.title == "Mon titre"
    assert draft.sustainability_plan == f"Plan {services.UNLOCKED_ATTEMPTS}"
    assert draft.version == version + services.UNLOCKED_ATTEMPTS + 1


def test_a_step_with_rows_of_its_own_writes_nothing_when_the_row_changed(draft, colleague):
    """Budget years are written only with the application row (by its own UPDATE on PostgreSQL, after
    it in a transaction elsewhere): when that row is not as read, the years are left as they were."""
    read = Application.objects.get(pk=draft.pk)
    years = list(draft.years.order_by("year").values_list("amount", flat=True))
    services.application_save_project(application=draft, title="Entre-temps", by=colleague)
    with pytest.raises(services.RowChanged):
        services.application_save_budget(
            application=read, amounts=[1, 2], by=colleague, expected_version=read.version, read=services.Read.UNLOCKED
        )
    assert list(draft.years.order_by("year").values_list("amount", flat=True)) == years


def test_an_unlocked_save_still_refuses_what_is_no_longer_a_draft(draft, applicant):
    read = Application.objects.get(pk=draft.pk)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    with pytest.raises(services.RowChanged):  # the read row said draft: the write sees it is not
        services.application_save_project(application=read, title="x", by=applicant, read=services.Read.UNLOCKED)
    read.refresh_from_db()
    with pytest.raises(services.DraftLocked):  # read again: refused before anything is tried
        services.application_save_project(application=read, title="x", by=applicant, read=services.Read.UNLOCKED)
    assert Application.objects.get(pk=draft.pk).title != "x"


@pytest.mark.django_db(transaction=True)
def test_concurrent_autosaves_of_two_members_never_lose_an_acknowledged_save():
    """Three members type in three steps of the same application at once (the budget's years are
    written by the row's own UPDATE on PostgreSQL), each request in its own thread and connection;
    every acknowledged save is what its step ends with."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writes")
    applicant = f.make_user(email="alice@carrefour.example", role="applicant")
    colleague = f.make_user(email="colin@carrefour.example", role="applicant")
    treasurer = f.make_user(email="tess@carrefour.example", role="applicant")
    organisation = f.make_organisation(admin=applicant)
    organisation.memberships.create(user=colleague)
    organisation.memberships.create(user=treasurer)
    call = f.make_call(fund=f.make_fund(), closes_at=timezone.now() + timedelta(days=5))
    draft = f.make_draft(call=call, organisation=organisation, by=applicant)
    turns = 15
    barrier = threading.Barrier(3)
    last, errors = {}, []

    def type_in(user, step, field, typed=lambda user, turn: f"{user.email} {turn}"):
        client = Client()
        client.force_login(user)
        version = Application.objects.get(pk=draft.pk).version
        try:
            barrier.wait()
            for turn in range(turns):
                text = typed(user, turn)
                response = post(client, draft, step, {f"{step}-{field}": text}, version)
                if response.status_code != 200 or not response.json()["saved"]:
                    errors.append((step, response.status_code, response.content[:200]))
                    return
                version = response.json()["version"]
                last[step] = text
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=type_in, args=(applicant, "project", "title")),
        threading.Thread(target=type_in, args=(colleague, "sustainability", "sustainability_plan")),
        threading.Thread(target=type_in, args=(treasurer, "budget", "year_1", lambda _user, turn: f"{1000 + turn}")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    draft.refresh_from_db()
    assert draft.title == last["project"] == f"{applicant.email} {turns - 1}"
    assert draft.sustainability_plan == last["sustainability"] == f"{colleague.email} {turns - 1}"
    assert [str(y.amount) for y in draft.years.filter(year=1)] == [f"{last['budget']}.00"] == [f"{1000 + turns - 1}.00"]
    assert draft.version >= 3 * turns
