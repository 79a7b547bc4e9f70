"""Hostile parameters found by the audit: each gets a clear refusal, never a server error."""

import pytest
from django.urls import reverse

from reviewers.services import conflicts_declare
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from ..workflow.steps import bring_to

HUGE = "9" * 20


def test_it_refuses_a_huge_reviewer_id_with_a_form_error(client, draft, applicant, manager, reviewer1, reviewer2):
    bring_to(
        "assign_reviewers", application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2]
    )
    task = active_task(application=draft, node=ApplicationFlow.assign_reviewers)
    client.force_login(manager)
    response = client.post(reverse("workflow:task", args=[task.pk]), {"reviewers": [HUGE, str(reviewer1.pk)]})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_ignores_an_outside_next_after_a_declaration(client, call, reviewer1):
    client.force_login(reviewer1)
    for target in ("abc", "https://evil.example/", "//evil.example/"):
        response = client.post(reverse("reviewers:declare", args=[call.pk]), {"none": "on", "next": target})
        assert response.status_code == 302
        assert response["Location"] == reverse("reviewers:committee_home")


def test_it_follows_a_local_next_after_a_declaration(client, call, reviewer2):
    client.force_login(reviewer2)
    response = client.post(reverse("reviewers:declare", args=[call.pk]), {"none": "on", "next": "/tasks/inbox/"})
    assert response["Location"] == "/tasks/inbox/"


@pytest.mark.parametrize("year", ["0", "-1", HUGE, "abc"])
def test_it_answers_404_to_an_impossible_workbook_year(client, fund, funder_user, year):
    client.force_login(funder_user)
    response = client.get(reverse("reporting:fund_xlsx", args=[fund.pk]), {"year": year})
    assert response.status_code == 404


def test_it_still_serves_the_workbook_of_a_real_year(client, fund, funder_user):
    client.force_login(funder_user)
    assert client.get(reverse("reporting:fund_xlsx", args=[fund.pk]), {"year": "2026"}).status_code == 200


def test_conflicts_declared_once_are_kept(call, reviewer1):
    conflicts_declare(call=call, member=reviewer1)
    from reviewers.permissions import needs_declaration

    assert not needs_declaration(reviewer1, call)


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "0001-01-01"])
def test_it_lists_the_catalogue_for_extreme_deadline_dates(client, call, day):
    response = client.get(reverse("fonds:catalogue"), {"deadline_before": day})
    assert response.status_code == 200
    assert response.context["form"]["deadline_before"].value() == day
    listed = call.title in response.content.decode()
    assert listed is (day != "0001-01-01")
