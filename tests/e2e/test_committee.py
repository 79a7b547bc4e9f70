"""A committee member in a real browser: declaration, draft scores, submission, other scores, ranking.

In French and in English; every page visited is checked with axe-core (WCAG 2.1 A/AA).
"""

import re

import pytest
from playwright.sync_api import expect

from reviewers.models import ConflictDeclaration, ReviewerAssignment, RubricLevel
from reviewers.services import conflicts_declare
from tests.workflow.steps import bring_to
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .conftest import assert_accessible, in_both_languages
from .test_applicant_journey import html_lang, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECLARE = in_both_languages("Record my declaration", re.I)
DRAFT = in_both_languages("Save as a draft")
SUBMIT = in_both_languages("Submit my scores")


def _switch_to_english(page):
    with page.expect_navigation():
        page.locator("header form.lang-switch").get_by_role("button", name="English").click()
    assert html_lang(page).startswith("en")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_takes_a_member_from_the_declaration_to_the_other_scores(
    page, language, call, draft, applicant, manager, reviewer1, reviewer2
):
    criteria = list(call.criteria.order_by("position"))
    RubricLevel.objects.create(criterion=criteria[0], level=4, description="Appuyé par des partenaires")
    task = bring_to("score", application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2])
    conflicts_declare(call=call, member=reviewer2)
    other = active_task(application=draft, node=ApplicationFlow.score, owner=reviewer2)
    from reviewers.services import score_submit

    score_submit(task=other, by=reviewer2, values={c.pk: (3, "Rita dit : correct.") for c in criteria})

    page.goto(f"/accounts/login/?next=/tasks/{task.pk}/")
    sign_in(page, reviewer1)
    # Not declared yet: the declaration page comes first.
    expect(page).to_have_url(re.compile(rf"/reviews/calls/{call.pk}/conflicts/"))
    if language == "en":
        _switch_to_english(page)
    assert_accessible(page)
    page.get_by_label(re.compile(r"aucun conflit|no conflict of interest", re.I)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=DECLARE).click()
    assert ConflictDeclaration.objects.filter(call=call, member=reviewer1).exists()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(page.get_by_text("Appuyé par des partenaires")).to_be_visible()
    assert_accessible(page)

    # A draft: one score, the task stays open.
    page.locator(f"input[name=score_{criteria[0].pk}][value='4']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=DRAFT).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(page.locator(f"input[name=score_{criteria[0].pk}][value='4']")).to_be_checked()
    assert_accessible(page)

    # Submit: the rest of the scores, then every reviewer's scores are shown.
    for criterion in criteria[1:]:
        page.locator(f"input[name=score_{criterion.pk}][value='5']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(re.compile(rf"/reviews/applications/{draft.pk}/scores/$"))
    assert ReviewerAssignment.objects.get(application=draft, reviewer=reviewer1).submitted_at
    expect(page.get_by_text("Rita dit : correct.")).to_have_count(len(criteria))
    assert html_lang(page).startswith(language)
    assert_accessible(page)

    page.goto(f"/reviews/calls/{call.pk}/ranking/")
    expect(page.get_by_role("link", name="Cuisine collective de Joliette")).to_be_visible()
    assert_accessible(page)
