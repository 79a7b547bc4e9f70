import re
from decimal import Decimal

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from forms.models import Application
from reporting.models import Agreement, Report
from reviewers.models import ReviewerAssignment, Score
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow


def url(task):
    return reverse("workflow:task", args=[task.pk])


def still_open(task) -> bool:
    task.refresh_from_db()
    return task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


# --- access --------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(client, at):
    task = at("screen")
    response = client.get(url(task))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_returns_404_for_a_missing_task(client, manager):
    client.force_login(manager)
    assert client.get(reverse("workflow:task", args=[999999])).status_code == 404


def test_it_returns_404_for_a_task_that_is_not_a_human_application_task(client, manager, draft):
    client.force_login(manager)
    start = draft.process.task_set.get(flow_task_type="START")
    assert client.get(url(start)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_manager", "funder_user", "advisor", "reviewer1", "admin_user"])
def test_it_hides_the_screening_task_from_people_who_cannot_see_the_application(client, at, request, who):
    task = at("screen")
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(task)).status_code == 404
    assert client.post(url(task), {"eligible": "yes"}).status_code == 404
    assert still_open(task)


def test_it_forbids_members_of_the_organisation_to_screen(client, at, applicant, colleague):
    task = at("screen")
    for user in (applicant, colleague):
        client.force_login(user)
        assert client.get(url(task)).status_code == 403
        assert client.post(url(task), {"eligible": "yes"}).status_code == 403
    assert still_open(task)


def test_it_forbids_a_reviewer_to_open_another_reviewers_score_task(client, at, reviewer2):
    task = at("score")  # reviewer1's
    client.force_login(reviewer2)
    assert client.get(url(task)).status_code == 403


def test_it_hides_score_tasks_from_committee_members_not_assigned(client, at, call):
    stranger = f.make_user(email="sam@comite.example", role="committee")
    call.committee.add(stranger)
    task = at("score")
    client.force_login(stranger)
    assert client.get(url(task)).status_code == 404


def test_it_redirects_with_a_message_when_the_task_is_done(client, at, manager, draft):
    task = at("screen")
    at_assign = active_task(application=draft, node=ApplicationFlow.screen)
    assert at_assign == task
    client.force_login(manager)
    client.post(url(task), {"eligible": "yes"})
    response = client.get(url(task), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workflow:inbox")
    assert "déjà" in response.content.decode() or "already" in response.content.decode()


def test_it_sends_the_applicant_to_the_wizard_for_the_draft_task(client, draft, applicant, colleague, outsider):
    task = active_task(application=draft, node=ApplicationFlow.draft)
    for user in (applicant, colleague):
        client.force_login(user)
        response = client.get(url(task))
        assert response.status_code == 302
        assert response["Location"] == reverse("forms:wizard", args=[draft.pk])
    client.force_login(outsider)
    assert client.get(url(task)).status_code == 404


def test_it_sends_the_advisor_to_the_draft_page_for_the_advise_task(client, at, advisor, applicant, draft):
    task = at("advise")
    client.force_login(advisor)
    response = client.get(url(task))
    assert response["Location"] == reverse("reviewers:draft", args=[draft.pk])
    client.force_login(applicant)
    assert client.get(url(task)).status_code == 403


# --- screening -------------------------------------------------------------------------------


def test_it_shows_the_screening_page_to_the_fund_manager(client, at, manager):
    task = at("screen")
    client.force_login(manager)
    response = client.get(url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cuisine collective de Joliette" in body
    assert 'name="eligible"' in body
    assert "CISSS de Lanaudière" in body


def test_it_records_an_eligible_application(client, at, manager, draft):
    task = at("screen")
    client.force_login(manager)
    response = client.post(url(task), {"eligible": "yes", "notes": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:inbox")
    draft.refresh_from_db()
    assert draft.eligible is True
    assert draft.status == Application.Status.IN_REVIEW
    assert active_task(application=draft, node=ApplicationFlow.assign_reviewers) is not None


def test_it_requires_reasons_when_the_application_is_ineligible(client, at, manager, draft):
    task = at("screen")
    client.force_login(manager)
    response = client.post(url(task), {"eligible": "no", "notes": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["notes"]
    assert re.search(r'<input[^>]*value="no"[^>]*checked', response.content.decode())  # the choice is kept
    assert still_open(task)
    draft.refresh_from_db()
    assert draft.eligible is None

    response = client.post(url(task), {"eligible": "no", "notes": "Hors territoire."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.INELIGIBLE
    assert draft.screening_notes == "Hors territoire."


def test_it_rejects_an_unknown_eligibility_value(client, at, manager):
    task = at("screen")
    client.force_login(manager)
    response = client.post(url(task), {"eligible": "maybe"})
    assert response.status_code == 200
    assert response.context["form"].errors["eligible"]
    assert still_open(task)


# --- reviewers -------------------------------------------------------------------------------


def test_it_lists_the_committee_on_the_assignment_page(client, at, manager):
    task = at("assign_reviewers")
    client.force_login(manager)
    response = client.get(url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "René Reviewer" in body and "Rita Reviewer" in body


def test_it_assigns_reviewers(client, at, manager, reviewer1, reviewer2, draft):
    task = at("assign_reviewers")
    client.force_login(manager)
    response = client.post(url(task), {"reviewers": [reviewer1.pk, reviewer2.pk]})
    assert response.status_code == 302
    assert set(draft.reviewer_assignments.values_list("reviewer_id", flat=True)) == {reviewer1.pk, reviewer2.pk}
    assert active_task(application=draft, node=ApplicationFlow.score, owner=reviewer2) is not None


def test_it_refuses_a_single_reviewer(client, at, manager, reviewer1, draft):
    task = at("assign_reviewers")
    client.force_login(manager)
    response = client.post(url(task), {"reviewers": [reviewer1.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["reviewers"]
    assert re.search(rf'<input[^>]*value="{reviewer1.pk}"[^>]*checked', response.content.decode())  # choice kept
    assert not ReviewerAssignment.objects.filter(application=draft).exists()
    assert still_open(task)


def test_it_refuses_a_reviewer_outside_the_committee(client, at, manager, reviewer1, advisor, draft):
    task = at("assign_reviewers")
    client.force_login(manager)
    response = client.post(url(task), {"reviewers": [reviewer1.pk, advisor.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["reviewers"]
    assert not ReviewerAssignment.objects.filter(application=draft).exists()


def test_it_forbids_the_manager_of_another_fund_to_assign(client, at, other_manager, reviewer1, reviewer2, draft):
    task = at("assign_reviewers")
    client.force_login(other_manager)
    assert client.post(url(task), {"reviewers": [reviewer1.pk, reviewer2.pk]}).status_code == 404
    assert not ReviewerAssignment.objects.filter(application=draft).exists()


# --- scoring ---------------------------------------------------------------------------------


def _score_data(call, value="4"):
    data = {}
    for criterion in call.criteria.all():
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = "Bien pensé."
    return data


def test_it_shows_the_rubric_and_the_checklist_answers_to_the_reviewer(client, at, reviewer1, draft, call):
    from forms.models import ChecklistAnswer

    item = call.criteria.get(key="concertation").checklist.first()
    ChecklistAnswer.objects.create(application=draft, item=item, checked=True, justification="Table de quartier.")
    task = at("score")
    client.force_login(reviewer1)
    response = client.get(url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Concertation" in body
    assert "Table de quartier." in body
    assert body.count('type="radio"') == 6 * call.criteria.count()


def test_it_never_shows_advisor_comments_to_reviewers(client, draft, applicant, advisor, reviewer1, at):
    from reviewers import services as reviewer_services

    reviewer_services.support_request(application=draft, by=applicant)
    reviewer_services.comment_add(application=draft, by=advisor, section="project", body="Secret de conseillère")
    reviewer_services.advice_return(application=draft, by=advisor)
    task = at("score")
    client.force_login(reviewer1)
    assert "Secret de conseillère" not in client.get(url(task)).content.decode()


def test_it_saves_the_scores(client, at, reviewer1, call, draft):
    task = at("score")
    client.force_login(reviewer1)
    response = client.post(url(task), _score_data(call, "5"))
    assert response.status_code == 302
    scores = Score.objects.filter(assignment__application=draft, assignment__reviewer=reviewer1)
    assert sorted(scores.values_list("value", flat=True)) == [5, 5, 5]
    assert not still_open(task)


@pytest.mark.parametrize("value", ["7", "-1", "abc", ""])
def test_it_refuses_a_score_outside_zero_to_five(client, at, reviewer1, call, draft, value):
    task = at("score")
    client.force_login(reviewer1)
    data = _score_data(call)
    first = call.criteria.first()
    data[f"score_{first.pk}"] = value
    response = client.post(url(task), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{first.pk}"]
    assert "Bien pensé." in response.content.decode()
    assert not Score.objects.filter(assignment__application=draft).exists()
    assert still_open(task)


# --- decision --------------------------------------------------------------------------------


def test_it_shows_the_weighted_totals_on_the_decision_page(client, at, manager, call, reviewer1, reviewer2):
    innovation, concertation, perennite = call.criteria.order_by("position")
    perennite.weight = Decimal("2")
    perennite.save()
    scores = {
        reviewer1: {innovation.pk: 4, concertation.pk: 2, perennite.pk: 5},  # (4 + 2 + 10) / 4 = 4.00
        reviewer2: {innovation.pk: 3, concertation.pk: 3, perennite.pk: 1},  # (3 + 3 + 2) / 4 = 2.00
    }
    task = at("decide", scores=scores)
    client.force_login(manager)
    response = client.get(url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "4,00" in body and "2,00" in body
    assert "3,00" in body  # mean of 4 and 2
    assert response.context["scores"].total == Decimal("3")


def test_it_records_the_decision(client, at, manager, draft):
    task = at("decide")
    client.force_login(manager)
    response = client.post(url(task), {"decision": "waitlisted", "reasons": "Enveloppe épuisée."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WAITLISTED
    assert draft.decision_reasons == "Enveloppe épuisée."


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "approved", "reasons": ""},
        {"decision": "approved", "reasons": "   "},
        {"decision": "funded", "reasons": "Bien."},
    ],
)
def test_it_refuses_a_decision_without_reasons_or_with_an_unknown_value(client, at, manager, draft, data):
    task = at("decide")
    client.force_login(manager)
    response = client.post(url(task), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == Application.Status.IN_REVIEW
    assert still_open(task)


def test_it_forbids_reviewers_to_decide(client, at, reviewer1):
    task = at("decide")
    client.force_login(reviewer1)
    assert client.post(url(task), {"decision": "approved", "reasons": "x"}).status_code == 403
    assert still_open(task)


# --- agreement -------------------------------------------------------------------------------


def test_it_prefills_the_agreement_with_the_amounts_asked(client, at, manager):
    task = at("agreement")
    client.force_login(manager)
    response = client.get(url(task))
    assert response.status_code == 200
    form = response.context["form"]
    assert [form[f"amount_{y}"].value() for y in (1, 2, 3)] == [Decimal("20000"), Decimal("15000"), None]


def test_it_creates_the_agreement(client, at, manager, draft):
    task = at("agreement")
    client.force_login(manager)
    data = {"amount_1": "18000", "amount_2": "12500,50", "amount_3": "", "signed_on": "2026-03-01", "conditions": ""}
    response = client.post(url(task), data)
    assert response.status_code == 302, response.context["form"].errors
    agreement = Agreement.objects.get(application=draft)
    assert [y.amount for y in agreement.years.all()] == [Decimal("18000"), Decimal("12500.50")]
    draft.refresh_from_db()
    assert draft.status == Application.Status.FUNDED


@pytest.mark.parametrize(
    "data, field",
    [
        ({"amount_1": "beaucoup", "signed_on": "2026-03-01"}, "amount_1"),
        ({"amount_1": "-5", "signed_on": "2026-03-01"}, "amount_1"),
        ({"amount_1": "1000", "signed_on": "hier"}, "signed_on"),
        ({"amount_1": "", "amount_2": "5000", "signed_on": "2026-03-01"}, "amount_1"),
        ({"amount_1": "1000", "amount_3": "5000", "signed_on": "2026-03-01"}, None),
    ],
)
def test_it_refuses_an_invalid_agreement(client, at, manager, draft, data, field):
    task = at("agreement")
    client.force_login(manager)
    response = client.post(url(task), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field or "__all__"]
    assert not Agreement.objects.filter(application=draft).exists()
    assert still_open(task)


# --- reports ---------------------------------------------------------------------------------


def _report_data(draft, actual="35"):
    data = {"narrative": "Quarante familles rejointes.", "sustainability_update": "Nouveau partenaire."}
    for indicator in draft.indicators.all():
        data[f"actual_{indicator.pk}"] = actual
        data[f"comment_{indicator.pk}"] = ""
    return data


def test_it_shows_the_report_form_to_members(client, at, applicant, colleague, draft):
    task = at("report")
    for user in (applicant, colleague):
        client.force_login(user)
        response = client.get(url(task))
        assert response.status_code == 200
        assert "Familles rejointes" in response.content.decode()


def test_it_hides_the_report_task_from_outsiders_and_forbids_managers(client, at, outsider, manager):
    task = at("report")
    client.force_login(outsider)
    assert client.get(url(task)).status_code == 404
    client.force_login(manager)
    assert client.get(url(task)).status_code == 403


def test_it_files_the_yearly_report(client, at, colleague, draft):
    task = at("report")
    client.force_login(colleague)
    response = client.post(url(task), _report_data(draft, "37,5"))
    assert response.status_code == 302
    report = Report.objects.get(agreement__application=draft)
    assert report.year == 1
    assert report.results.get().actual == Decimal("37.5")
    assert active_task(application=draft, node=ApplicationFlow.review_report) is not None


@pytest.mark.parametrize("actual", ["", "beaucoup"])
def test_it_refuses_a_report_without_valid_indicator_values(client, at, applicant, draft, actual):
    task = at("report")
    client.force_login(applicant)
    response = client.post(url(task), _report_data(draft, actual))
    assert response.status_code == 200
    assert "Quarante familles rejointes." in response.content.decode()
    assert response.context["form"].errors
    assert not Report.objects.filter(agreement__application=draft).exists()
    assert still_open(task)


def test_it_approves_the_report(client, at, manager, draft):
    task = at("review_report")
    client.force_login(manager)
    response = client.get(url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Une bonne année." in body
    assert "Familles rejointes" in body
    response = client.post(url(task))
    assert response.status_code == 302
    report = Report.objects.get(agreement__application=draft)
    assert report.approved_at is not None
    assert active_task(application=draft, node=ApplicationFlow.report) is not None  # year 2


def test_it_forbids_members_to_approve_their_own_report(client, at, applicant, other_manager, draft):
    task = at("review_report")
    client.force_login(applicant)
    assert client.post(url(task)).status_code == 403
    client.force_login(other_manager)
    assert client.post(url(task)).status_code == 404
    assert Report.objects.get(agreement__application=draft).approved_at is None


# --- every page ------------------------------------------------------------------------------

PAGES = [
    ("screen", "manager", "Record the screening"),
    ("assign_reviewers", "manager", "Assign the reviewers"),
    ("score", "reviewer1", "Submit my scores"),
    ("decide", "manager", "Record the decision"),
    ("agreement", "manager", "Set up the agreement"),
    ("report", "applicant", "Send the report"),
    ("review_report", "manager", "Approve the report"),
]


@pytest.mark.parametrize("step, who, button", PAGES)
def test_it_renders_each_task_page_in_english_with_one_h1_and_labelled_inputs(client, at, request, step, who, button):
    task = at(step)
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(task), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert button in body
    assert body.count("<h1") == 1
    for tag, element_id in re.findall(r'<(input|textarea|select)(?![^>]*type="hidden")[^>]*id="([^"]+)"', body):
        assert f'for="{element_id}"' in body, f"{tag}#{element_id} has no label"
