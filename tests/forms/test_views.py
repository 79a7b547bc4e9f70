from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from fonds.models import Call
from forms.models import Application
from reviewers import services as reviewer_services
from reviewers.models import Comment, ReviewerAssignment, SupportRequest
from tests import factories as f
from workflow import services as workflow_services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# -- list


def test_it_sends_anonymous_users_to_sign_in_from_the_list(client):
    response = client.get(reverse("forms:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "colleague"])
def test_it_lists_the_organisations_applications_to_every_member(client, draft, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("forms:list"))
    assert response.status_code == 200
    assert draft.title in response.text
    assert reverse("forms:wizard", args=[draft.pk]) in response.text


def test_it_hides_other_organisations_applications_from_the_list(client, draft, outsider):
    client.force_login(outsider)
    response = client.get(reverse("forms:list"))
    assert response.status_code == 200
    assert draft.title not in response.text


def test_it_explains_the_list_to_a_user_without_organisation(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("forms:list"))
    assert response.status_code == 200
    assert response.context["organisations"] == []
    assert "<table" not in response.text


def test_it_links_submitted_applications_to_their_page(client, draft, applicant):
    workflow_services.application_submit(application=draft, by=applicant)
    client.force_login(applicant)
    response = client.get(reverse("forms:list"))
    assert draft.get_absolute_url() in response.text
    assert reverse("forms:wizard", args=[draft.pk]) not in response.text


def test_it_lists_with_a_constant_number_of_queries(client, call, organisation, applicant):
    client.force_login(applicant)

    def count(n):
        while Application.objects.filter(organisation=organisation).count() < n:
            f.make_draft(call=call, organisation=organisation, by=applicant, complete=False)
        client.get(reverse("forms:list"))  # warm caches (session, roles)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("forms:list"))
        assert len(response.context["applications"]) == n
        return len(ctx.captured_queries)

    assert count(2) == count(8)


# -- create


def test_it_sends_anonymous_users_to_sign_in_from_create(client, call):
    response = client.post(reverse("forms:create", args=[call.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Application.objects.exists()


def test_it_refuses_to_create_on_get(client, call, applicant):
    client.force_login(applicant)
    assert client.get(reverse("forms:create", args=[call.pk])).status_code == 405


def test_it_creates_a_draft_and_opens_the_wizard(client, call, organisation, applicant):
    client.force_login(applicant)
    response = client.post(reverse("forms:create", args=[call.pk]))
    application = Application.objects.get()
    assert application.organisation == organisation
    assert application.created_by == applicant
    assert response.status_code == 302
    assert response["Location"] == reverse("forms:wizard", args=[application.pk])
    assert active_task(application=application, node=ApplicationFlow.draft) is not None


def test_it_creates_for_the_chosen_organisation(client, call, organisation, applicant):
    second = f.make_organisation(name="Deuxième", admin=applicant)
    client.force_login(applicant)
    client.post(reverse("forms:create", args=[call.pk]), {"organisation": second.pk})
    assert Application.objects.get().organisation == second


def test_it_refuses_to_create_for_someone_elses_organisation(client, call, organisation, outsider):
    client.force_login(outsider)
    response = client.post(reverse("forms:create", args=[call.pk]), {"organisation": organisation.pk})
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_it_refuses_to_create_without_an_organisation(client, call, advisor):
    client.force_login(advisor)
    response = client.post(reverse("forms:create", args=[call.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("forms:list")
    assert not Application.objects.exists()


def test_it_refuses_to_create_on_a_closed_call(client, fund, organisation, applicant):
    closed = f.make_call(fund=fund, open_now=False, title="Appel fermé")
    client.force_login(applicant)
    response = client.post(reverse("forms:create", args=[closed.pk]))
    assert response.status_code == 302
    assert response["Location"] == closed.get_absolute_url()
    assert _messages(response)
    assert not Application.objects.exists()


def test_it_gives_404_for_an_unknown_call(client, applicant, organisation):
    client.force_login(applicant)
    assert client.post(reverse("forms:create", args=[987654])).status_code == 404


# -- detail


def test_it_sends_anonymous_users_to_sign_in_from_detail(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "colleague", "manager"])
def test_it_shows_the_application_to_members_and_the_funds_managers(client, draft, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "CISSS de Lanaudière" in response.text
    assert "Familles rejointes" in response.text


@pytest.mark.parametrize("who", ["outsider", "other_manager", "advisor", "reviewer1", "funder_user", "admin_user"])
def test_it_hides_the_application_from_everyone_else(client, draft, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_it_gives_404_for_an_unknown_application(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("forms:detail", args=[987654])).status_code == 404


def test_it_shows_the_draft_to_the_advisor_asked_for_help(client, draft, applicant, advisor):
    reviewer_services.support_request(application=draft, by=applicant)
    client.force_login(advisor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False


def test_it_shows_the_application_to_its_assigned_reviewers(client, draft, reviewer1, reviewer2):
    from reviewers.services import conflicts_declare

    ReviewerAssignment.objects.create(application=draft, reviewer=reviewer1)
    client.force_login(reviewer1)
    # Conflicts of interest first: the page sends an undeclared member to the declaration.
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("reviewers:declare", args=[draft.call_id])
    conflicts_declare(call=draft.call, member=reviewer1)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(reviewer2)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_it_shows_comments_by_section_and_the_history(client, draft, applicant, advisor):
    reviewer_services.support_request(application=draft, by=applicant)
    reviewer_services.comment_add(application=draft, by=advisor, section="budget", body="Détaillez l'an 2.")
    client.force_login(applicant)
    response = client.get(draft.get_absolute_url())
    assert "Détaillez l&#x27;an 2." in response.text
    [(section, comments)] = response.context["comment_sections"]
    assert [c.body for c in comments] == ["Détaillez l'an 2."]
    names = [t.flow_task.name for t in response.context["history"]]
    assert names == ["start", "draft", "advise"]
    assert "after_draft" not in names
    assert "Ask an advisor for help" not in response.text  # the draft is with the advisor


def test_it_shows_the_decision_and_its_reasons(client, draft, applicant, manager):
    workflow_services.application_submit(application=draft, by=applicant)
    task = active_task(application=draft, node=ApplicationFlow.screen)
    workflow_services.screening_record(task=task, by=manager, eligible=False, notes="Hors territoire.")
    client.force_login(applicant)
    response = client.get(draft.get_absolute_url())
    assert response.context["decided"] is True
    assert "Hors territoire." in response.text


# -- submit


def test_it_sends_anonymous_users_to_sign_in_from_submit(client, draft):
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


@pytest.mark.parametrize("who,status", [("outsider", 404), ("other_manager", 404), ("manager", 403)])
def test_it_lets_only_members_submit(client, draft, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("forms:submit", args=[draft.pk])).status_code == status
    draft.refresh_from_db()
    assert draft.submitted_at is None


@pytest.mark.parametrize("who", ["applicant", "colleague"])
def test_it_submits_a_complete_draft(client, draft, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert active_task(application=draft, node=ApplicationFlow.screen) is not None


def test_it_submits_only_once(client, draft, applicant):
    client.force_login(applicant)
    client.post(reverse("forms:submit", args=[draft.pk]))
    draft.refresh_from_db()
    first = draft.submitted_at
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.submitted_at == first
    screens = Task.objects.filter(process__applicationprocess__application=draft, flow_task=ApplicationFlow.screen)
    assert screens.count() == 1


def test_it_refuses_a_submission_after_the_deadline_and_keeps_the_draft(client, draft, applicant):
    Call.objects.filter(pk=draft.call_id).update(closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == reverse("forms:wizard_step", args=[draft.pk, "summary"])
    [message] = _messages(response)
    assert "closed on" in message and "your draft is kept" in message and draft.call.title in message
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.submitted_at is None
    assert draft.title == "Cuisine collective de Joliette"


def test_it_explains_what_is_missing_when_submitting_too_early(client, empty_draft, applicant):
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[empty_draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("forms:wizard_step", args=[empty_draft.pk, "summary"])
    assert len(_messages(response)) >= 2
    empty_draft.refresh_from_db()
    assert empty_draft.status == Application.Status.DRAFT


def test_it_refuses_years_the_call_no_longer_funds_until_the_budget_is_saved_again(client, draft, applicant):
    from django.contrib.messages import get_messages

    assert list(draft.years.values_list("year", flat=True)) == [1, 2]
    draft.call.max_years = 1
    draft.call.save(update_fields=["max_years"])
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response["Location"] == reverse("forms:wizard_step", args=[draft.pk, "summary"])
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("jusqu'à l'année 1" in t for t in texts), texts
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT

    saved = client.post(
        reverse("forms:autosave", args=[draft.pk, "budget"]), {"version": draft.version, "budget-year_1": "20000"}
    )
    assert saved.status_code == 200 and saved.json()["saved"] is True, saved.content
    assert list(draft.years.values_list("year", flat=True)) == [1]
    assert client.post(reverse("forms:submit", args=[draft.pk]))["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED


def test_it_refuses_get_on_submit(client, draft, applicant):
    client.force_login(applicant)
    assert client.get(reverse("forms:submit", args=[draft.pk])).status_code == 405


# -- support


def test_it_sends_anonymous_users_to_sign_in_from_support(client, draft):
    response = client.post(reverse("forms:support", args=[draft.pk]))
    assert response.status_code == 302
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("who,status", [("outsider", 404), ("advisor", 404), ("manager", 403)])
def test_it_lets_only_members_ask_for_help(client, draft, who, status, request, advisor):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("forms:support", args=[draft.pk])).status_code == status
    assert not SupportRequest.objects.exists()


def test_it_asks_an_advisor_for_help(client, draft, colleague, advisor):
    client.force_login(colleague)
    response = client.post(reverse("forms:support", args=[draft.pk]), {"message": "Le budget?", "next_step": "budget"})
    assert response.status_code == 302
    assert response["Location"] == reverse("forms:wizard_step", args=[draft.pk, "budget"])
    request_ = SupportRequest.objects.get()
    assert (request_.advisor, request_.message, request_.requested_by) == (advisor, "Le budget?", colleague)
    assert active_task(application=draft, node=ApplicationFlow.advise, owner=advisor) is not None
    # A second request while the advisor has the draft changes nothing.
    client.post(reverse("forms:support", args=[draft.pk]))
    assert SupportRequest.objects.count() == 1


def test_it_says_when_no_advisor_is_available(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(reverse("forms:support", args=[draft.pk]))
    assert response.status_code == 302
    assert _messages(response)
    assert not SupportRequest.objects.exists()
    assert active_task(application=draft, node=ApplicationFlow.draft) is not None


def test_it_keeps_the_support_message_within_its_limit(client, draft, applicant, advisor):
    client.force_login(applicant)
    client.post(reverse("forms:support", args=[draft.pk]), {"message": "x" * 2001})
    assert not SupportRequest.objects.exists()


def test_it_shows_advisor_comments_on_the_wizard_step(client, draft, applicant, advisor):
    reviewer_services.support_request(application=draft, by=applicant)
    Comment.objects.create(application=draft, author=advisor, section="project", body="Titre trop long.")
    client.force_login(applicant)
    response = client.get(reverse("forms:wizard_step", args=[draft.pk, "project"]))
    assert "Titre trop long." in response.text
    assert response.context["support"] == "with_advisor"
