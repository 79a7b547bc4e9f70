"""A funded application (agreement of 20 000 $ + 15 000 $) built through the workflow services."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.services import agreement_create, report_submit
from reviewers.services import decision_record, reviewers_assign, score_submit
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.services import application_submit, screening_record


def fund_application(*, application, applicant, manager, reviewers, amounts, signed_on=None):
    """Take a complete draft through screening, scoring and decision to a signed agreement."""
    application_submit(application=application, by=applicant)
    screening_record(
        task=active_task(application=application, node=ApplicationFlow.screen), by=manager, eligible=True, notes=""
    )
    reviewers_assign(
        task=active_task(application=application, node=ApplicationFlow.assign_reviewers),
        by=manager,
        reviewers=reviewers,
    )
    criteria = list(application.call.criteria.all())
    for reviewer in reviewers:
        task = active_task(application=application, node=ApplicationFlow.score, owner=reviewer)
        score_submit(task=task, by=reviewer, values={c.pk: (4, "") for c in criteria})
    decision_record(
        task=active_task(application=application, node=ApplicationFlow.decide),
        by=manager,
        decision="approved",
        reasons="Solide.",
    )
    return agreement_create(
        task=active_task(application=application, node=ApplicationFlow.agreement),
        by=manager,
        amounts=amounts,
        signed_on=signed_on or date(2026, 4, 1),
    )


@pytest.fixture
def funded(draft, applicant, manager, reviewer1, reviewer2):
    """The standing draft, funded for two years (35 000 $), with its first yearly report filed."""
    fund_application(
        application=draft,
        applicant=applicant,
        manager=manager,
        reviewers=[reviewer1, reviewer2],
        amounts=[Decimal("20000"), Decimal("15000")],
    )
    indicator = draft.indicators.get()
    report_submit(
        task=active_task(application=draft, node=ApplicationFlow.report),
        by=applicant,
        narrative="Une bonne année.",
        sustainability_update="",
        results={indicator.pk: (Decimal("27"), "")},
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def other_funder_user(db):
    """Staff of another funder, with the funder role."""
    user = f.make_user(email="felix@fondation.example", role="funder", full_name="Félix Other Funder")
    f.make_fund(staff=[user], name="Fonds de la fondation")
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The standing users are many; PBKDF2 would make every test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
