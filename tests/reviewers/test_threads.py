"""Advisors by territory and load, manager reassignment, and comment threads on both sides."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Mrc
from reviewers import services
from reviewers.models import AdvisorProfile, Comment, SupportRequest
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage
from workflow.services import NoAdvisorAvailable


def _advisor(email, *, mrcs=(), regions=(), capacity=None, available=True):
    user = f.make_user(email=email, role="advisor", full_name=email.split("@")[0].title())
    profile = AdvisorProfile.objects.create(advisor=user, capacity=capacity, available=available)
    profile.mrcs.set(Mrc.objects.filter(code__in=mrcs))
    if regions:
        from accounts.models import Region

        profile.regions.set(Region.objects.filter(code__in=regions))
    return user


# --- automatic assignment -------------------------------------------------------------------


def test_it_prefers_the_advisor_serving_the_organisations_mrc(draft, applicant, advisor, organisation):
    local = _advisor("lea@soutien.example", mrcs=[organisation.mrc.code])
    request = services.support_request(application=draft, by=applicant)
    assert request.advisor == local


def test_it_falls_back_to_the_region_then_to_generalists(draft, applicant, advisor, organisation):
    elsewhere = Mrc.objects.exclude(region=organisation.mrc.region).first()
    _advisor("loin@soutien.example", mrcs=[elsewhere.code])
    regional = _advisor("reg@soutien.example", regions=[organisation.mrc.region.code])
    assert services.advisor_pick(application=draft) == regional
    AdvisorProfile.objects.filter(advisor=regional).update(available=False)
    assert services.advisor_pick(application=draft) == advisor  # no rule: a generalist


def test_it_balances_by_load_and_respects_capacity(call, organisation, applicant, advisor):
    second = _advisor("bob@soutien.example", capacity=1)
    first = services.support_request(
        application=f.make_draft(call=call, organisation=organisation, by=applicant), by=applicant
    )
    other = services.support_request(
        application=f.make_draft(call=call, organisation=organisation, by=applicant), by=applicant
    )
    assert {first.advisor, other.advisor} == {advisor, second}
    third = services.support_request(
        application=f.make_draft(call=call, organisation=organisation, by=applicant), by=applicant
    )
    assert third.advisor == advisor  # bob is at capacity


def test_it_says_when_no_advisor_is_available(draft, advisor):
    AdvisorProfile.objects.create(advisor=advisor, available=False)
    with pytest.raises(NoAdvisorAvailable):
        services.advisor_pick(application=draft)


# --- reassignment by a manager ----------------------------------------------------------------


@pytest.fixture
def supported(draft, applicant, advisor):
    services.support_request(application=draft, by=applicant)
    return draft


def test_it_lets_a_manager_reassign_the_draft(client, supported, manager, advisor):
    other = _advisor("olivier@soutien.example")
    url = reverse("reviewers:reassign", args=[supported.pk])
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200 and "Olivier" in page.content.decode()
    response = client.post(url, {"advisor": other.pk})
    assert response.status_code == 302
    task = active_task(application=supported, node=ApplicationFlow.advise)
    assert task.owner == other
    assert SupportRequest.objects.get(application=supported).advisor == other
    assert OutboxMessage.objects.filter(kind="support_requested", recipient=other).exists()
    # The old advisor lost it, the new one has it.
    client.force_login(other)
    assert client.get(reverse("reviewers:draft", args=[supported.pk])).status_code == 200


def test_it_refuses_a_non_advisor_as_the_new_advisor(client, supported, manager, reviewer1):
    client.force_login(manager)
    response = client.post(reverse("reviewers:reassign", args=[supported.pk]), {"advisor": reviewer1.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["advisor"]


@pytest.mark.parametrize(
    "who, status", [("applicant", 403), ("advisor", 403), ("other_manager", 404), ("reviewer1", 404)]
)
def test_it_keeps_reassignment_to_the_funds_managers(client, supported, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reviewers:reassign", args=[supported.pk])).status_code == status


# --- threads -----------------------------------------------------------------------------------


def test_it_anchors_a_comment_to_a_question(client, supported, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("reviewers:comment", args=[supported.pk]),
        {"section": "budget", "question": "amounts", "body": "L'an 2 baisse : pourquoi ?"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.section, comment.question, comment.by_applicant) == ("budget", "amounts", False)


def test_it_refuses_a_question_of_another_section(client, supported, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("reviewers:comment", args=[supported.pk]), {"section": "budget", "question": "title", "body": "x"}
    )
    assert response.status_code == 200 and response.context["form"].errors["question"]


def _render_for_applicant(application, user):
    request = RequestFactory().get(application.get_absolute_url())
    request.user = user
    template = engines["django"].from_string('{% include "reviewers/_comments_for_applicant.html" %}')
    return template.render({"application": application, "request": request, "user": user}, request)


def test_it_threads_replies_notifies_and_resolves(client, supported, advisor, applicant):
    root = services.comment_add(
        application=supported, by=advisor, section="project", question="title", body="Titre flou"
    )
    assert OutboxMessage.objects.filter(kind="comment", recipient=applicant).exists()
    html = _render_for_applicant(supported, applicant)
    assert "Titre flou" in html and reverse("reviewers:comment_reply", args=[supported.pk, root.pk]) in html
    client.force_login(applicant)
    response = client.post(
        reverse("reviewers:comment_reply", args=[supported.pk, root.pk]),
        {"body": "Nouveau titre proposé", "next": supported.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == supported.get_absolute_url()
    reply = Comment.objects.get(parent=root)
    assert reply.by_applicant and reply.section == "project" and reply.question == "title"
    assert OutboxMessage.objects.filter(kind="comment_reply", recipient=advisor).exists()
    # The advisor sees one unread reply on their home, then reads it.
    client.force_login(advisor)
    home = client.get(reverse("reviewers:advisor_home"))
    assert home.context["support_requests"][0].unread == 1
    assert "Nouveau titre proposé" in client.get(reverse("reviewers:draft", args=[supported.pk])).content.decode()
    assert client.get(reverse("reviewers:advisor_home")).context["support_requests"][0].unread == 0
    # Either side resolves the thread.
    client.force_login(applicant)
    assert client.post(reverse("reviewers:comment_resolve", args=[supported.pk, root.pk])).status_code == 302
    root.refresh_from_db()
    assert root.resolved_at and root.resolved_by == applicant


def test_it_marks_the_advisors_comments_seen_when_the_applicant_reads_them(supported, advisor, applicant):
    from reviewers.templatetags.review_comments import unread_comments

    services.comment_add(application=supported, by=advisor, section="project", body="Un")
    assert unread_comments(supported) == 1
    _render_for_applicant(supported, applicant)
    assert unread_comments(supported) == 0


def test_it_refuses_a_new_thread_or_reply_from_outside(client, supported, advisor, outsider, reviewer1):
    root = services.comment_add(application=supported, by=advisor, section="project", body="Un")
    for user in (outsider, reviewer1):
        client.force_login(user)
        assert (
            client.post(reverse("reviewers:comment_reply", args=[supported.pk, root.pk]), {"body": "x"}).status_code
            == 404
        )
        assert client.post(reverse("reviewers:comment_resolve", args=[supported.pk, root.pk])).status_code == 404
    assert client.post(reverse("reviewers:comment_reply", args=[supported.pk, 99999]), {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 1


def test_it_keeps_an_empty_reply_out(client, supported, advisor, applicant):
    root = services.comment_add(application=supported, by=advisor, section="project", body="Un")
    client.force_login(applicant)
    response = client.post(reverse("reviewers:comment_reply", args=[supported.pk, root.pk]), {"body": "  "})
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_it_lets_the_applicant_only_reply_while_the_application_is_a_draft(supported, advisor, applicant):
    from django.core.exceptions import PermissionDenied

    root = services.comment_add(application=supported, by=advisor, section="project", body="Un")
    with pytest.raises(PermissionDenied):
        services.comment_add(application=supported, by=applicant, section="project", body="Nouveau fil")
    supported.status = supported.Status.SUBMITTED
    supported.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        services.comment_add(application=supported, by=applicant, section="project", body="Trop tard", parent=root)
