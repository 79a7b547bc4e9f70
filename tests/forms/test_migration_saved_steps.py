"""forms 0004 moves each step's last save from the StepSave table into the application row, and back."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("forms", "0003_wizard_settings_questions_attachments")]
AFTER = [("forms", "0004_saved_steps_on_the_application")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_it_moves_the_step_saves_into_the_application_and_back():
    from tests import factories as f

    applicant = f.make_user(email="alice@carrefour.example", role="applicant")
    call = f.make_call(fund=f.make_fund())
    draft = f.make_draft(call=call, organisation=f.make_organisation(admin=applicant), by=applicant)
    other = f.make_draft(call=call, organisation=draft.organisation, by=applicant)
    at = datetime(2026, 11, 30, 14, 32, tzinfo=UTC)
    try:
        apps = migrate(BEFORE)
        StepSave = apps.get_model("forms", "StepSave")
        StepSave.objects.all().delete()
        StepSave.objects.create(
            application_id=draft.pk, step="project", version=4, saved_by_id=applicant.pk, saved_at=at
        )
        StepSave.objects.create(application_id=draft.pk, step="budget", version=6, saved_by_id=None, saved_at=at)

        apps = migrate(AFTER)
        Application = apps.get_model("forms", "Application")
        assert Application.objects.get(pk=draft.pk).saved_steps == {
            "project": {"version": 4, "by": applicant.pk, "at": at.isoformat()},
            "budget": {"version": 6, "by": None, "at": at.isoformat()},
        }
        assert Application.objects.get(pk=other.pk).saved_steps == {}

        apps = migrate(BEFORE)
        rows = apps.get_model("forms", "StepSave").objects.order_by("step")
        assert [(r.application_id, r.step, r.version, r.saved_by_id, r.saved_at) for r in rows] == [
            (draft.pk, "budget", 6, None, at),
            (draft.pk, "project", 4, applicant.pk, at),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
