import pytest
from django.urls import reverse

from reviewers import services as reviewer_services
from reviewers.models import Comment
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow


def draft_url(application, name="draft"):
    return reverse(f"reviewers:{name}", args=[application.pk])


@pytest.fixture
def supported(draft, applicant, advisor):
    reviewer_services.support_request(application=draft, by=applicant, message="Le budget est-il clair ?")
    return draft


# --- the draft page ----------------------------------------------------------------------------


def test_it_shows_the_draft_by_section_to_the_supporting_advisor(client, supported, advisor):
    reviewer_services.comment_add(application=supported, by=advisor, section="budget", body="Détaillez l'an 2.")
    client.force_login(advisor)
    response = client.get(draft_url(supported))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Cuisine collective de Joliette",
        "CISSS de Lanaudière",
        "Familles rejointes",
        "Autofinancement.",
        "Détaillez l&#x27;an 2.",
        "Le budget est-il clair ?",
    ):
        assert text in body
    assert response.context["can_comment"] is True
    assert [len(comments) for _value, _label, comments in response.context["sections"]] == [0, 1, 0, 0]
    assert 'name="body"' in body
    assert draft_url(supported, "return") in body


def test_it_sends_anonymous_visitors_to_the_login_page(client, supported):
    response = client.get(draft_url(supported))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "colleague", "outsider", "manager", "reviewer1", "funder_user"])
def test_it_hides_the_draft_page_from_everybody_else(client, supported, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(draft_url(supported)).status_code == 404
    assert client.post(draft_url(supported, "comment"), {"section": "project", "body": "x"}).status_code == 404
    assert client.post(draft_url(supported, "return")).status_code == 404
    assert not Comment.objects.exists()
    assert active_task(application=supported, node=ApplicationFlow.advise) is not None


def test_it_hides_the_draft_from_an_advisor_who_does_not_support_it(client, supported):
    other = f.make_user(email="odile@soutien.example", role="advisor")
    client.force_login(other)
    assert client.get(draft_url(supported)).status_code == 404
    assert client.post(draft_url(supported, "comment"), {"section": "project", "body": "x"}).status_code == 404


def test_it_returns_404_for_a_missing_application(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("reviewers:draft", args=[999999])).status_code == 404


# --- comments -------------------------------------------------------------------------------


def test_it_adds_a_comment(client, supported, advisor):
    client.force_login(advisor)
    response = client.post(draft_url(supported, "comment"), {"section": "partners", "body": "Nommez le rôle du CISSS."})
    assert response.status_code == 302
    assert response["Location"] == draft_url(supported)
    comment = Comment.objects.get()
    assert (comment.section, comment.body, comment.author) == ("partners", "Nommez le rôle du CISSS.", advisor)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"section": "project", "body": "  "}, "body"),
        ({"section": "scores", "body": "Bien."}, "section"),
        ({"body": "Bien."}, "section"),
    ],
)
def test_it_refuses_an_invalid_comment(client, supported, advisor, data, field):
    client.force_login(advisor)
    response = client.post(draft_url(supported, "comment"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    if data["body"].strip():
        assert data["body"] in response.content.decode()
    assert not Comment.objects.exists()


def test_it_requires_post_to_comment_and_return(client, supported, advisor):
    client.force_login(advisor)
    assert client.get(draft_url(supported, "comment")).status_code == 405
    assert client.get(draft_url(supported, "return")).status_code == 405


def test_it_returns_the_draft_to_the_applicant(client, supported, advisor, applicant):
    client.force_login(advisor)
    response = client.post(draft_url(supported, "return"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviewers:advisor_home")
    assert active_task(application=supported, node=ApplicationFlow.advise) is None
    assert active_task(application=supported, node=ApplicationFlow.draft) is not None
    assert supported.support_requests.get().closed_at is not None


def test_it_keeps_the_draft_readable_but_not_commentable_once_returned(client, supported, advisor):
    reviewer_services.advice_return(application=supported, by=advisor)
    client.force_login(advisor)
    response = client.get(draft_url(supported))
    assert response.status_code == 200
    assert response.context["can_comment"] is False
    assert 'name="body"' not in response.content.decode()
    assert client.post(draft_url(supported, "comment"), {"section": "project", "body": "Trop tard"}).status_code == 403
    assert client.post(draft_url(supported, "return")).status_code == 403
    assert not Comment.objects.exists()


# --- advisor home ---------------------------------------------------------------------------


def test_it_lists_the_open_support_requests_of_the_advisor(client, supported, advisor, call, organisation, applicant):
    returned = f.make_draft(call=call, organisation=organisation, by=applicant)
    reviewer_services.support_request(application=returned, by=applicant)
    reviewer_services.advice_return(application=returned, by=advisor)
    client.force_login(advisor)
    response = client.get(reverse("reviewers:advisor_home"))
    assert response.status_code == 200
    assert [s.application_id for s in response.context["support_requests"]] == [supported.pk]
    assert draft_url(supported) in response.content.decode()


def test_it_shows_an_empty_advisor_home(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("reviewers:advisor_home"))
    assert response.status_code == 200
    assert response.context["support_requests"] == []


def test_it_sends_anonymous_visitors_from_the_advisor_home_to_login(client):
    response = client.get(reverse("reviewers:advisor_home"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["applicant", "outsider", "manager", "reviewer1", "funder_user"])
def test_it_forbids_the_advisor_home_to_other_roles(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reviewers:advisor_home")).status_code == 403


def test_it_keeps_the_advisor_home_query_count_flat(client, advisor, call, organisation, applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reviewers:advisor_home"))
        return len(ctx), len(response.context["support_requests"])

    client.force_login(advisor)
    for _ in range(2):
        reviewer_services.support_request(
            application=f.make_draft(call=call, organisation=organisation, by=applicant), by=applicant
        )
    two, rows = measure()
    assert rows == 2
    for _ in range(4):
        reviewer_services.support_request(
            application=f.make_draft(call=call, organisation=organisation, by=applicant), by=applicant
        )
    six, rows = measure()
    assert rows == 6
    assert six == two
