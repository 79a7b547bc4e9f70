from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.selectors import application_history, tasks_for_user

INBOX = reverse("workflow:inbox")


def _drafts(n, *, call, organisation, applicant):
    return [f.make_draft(call=call, organisation=organisation, by=applicant) for _ in range(n)]


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(INBOX)
    assert response.status_code == 200
    return len(ctx), response


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_an_empty_inbox(client, outsider, funder_user, admin_user):
    for user in (outsider, funder_user, admin_user):
        client.force_login(user)
        response = client.get(INBOX)
        assert response.status_code == 200
        assert response.context["tasks"] == []


def test_it_shows_the_draft_to_every_member_of_the_organisation(client, draft, applicant, colleague, outsider):
    task = active_task(application=draft, node=ApplicationFlow.draft)
    for user in (applicant, colleague):
        client.force_login(user)
        response = client.get(INBOX)
        assert [t.pk for t in response.context["tasks"]] == [task.pk]
        body = response.content.decode()
        assert reverse("workflow:task", args=[task.pk]) in body
        assert "Cuisine collective de Joliette" in body
        assert "Carrefour familial" in body
    client.force_login(outsider)
    assert client.get(INBOX).context["tasks"] == []


def test_it_shows_manager_tasks_only_to_managers_of_the_fund(client, draft, applicant, manager, other_manager):
    services.application_submit(application=draft, by=applicant)
    screen = active_task(application=draft, node=ApplicationFlow.screen)
    client.force_login(manager)
    assert [t.pk for t in client.get(INBOX).context["tasks"]] == [screen.pk]
    client.force_login(other_manager)
    assert client.get(INBOX).context["tasks"] == []
    client.force_login(applicant)
    assert client.get(INBOX).context["tasks"] == []


def test_it_leaves_out_manager_tasks_when_the_permission_is_missing(draft, applicant, manager):
    services.application_submit(application=draft, by=applicant)
    colleague_without_perm = f.make_user(email="nop@fonds.example")  # no fund_manager role
    draft.call.fund.managers.add(colleague_without_perm)
    assert list(tasks_for_user(user=colleague_without_perm)) == []
    assert len(tasks_for_user(user=manager)) == 1


def test_it_shows_score_tasks_to_their_reviewer_only(client, at, reviewer1, reviewer2, manager):
    at("score")
    for reviewer in (reviewer1, reviewer2):
        client.force_login(reviewer)
        tasks = client.get(INBOX).context["tasks"]
        assert len(tasks) == 1
        assert tasks[0].owner_id == reviewer.pk
        assert tasks[0].flow_task is ApplicationFlow.score
    client.force_login(manager)
    assert client.get(INBOX).context["tasks"] == []


def test_it_shows_the_advise_task_to_the_advisor(client, at, advisor, applicant):
    task = at("advise")
    client.force_login(advisor)
    assert [t.pk for t in client.get(INBOX).context["tasks"]] == [task.pk]
    client.force_login(applicant)
    assert client.get(INBOX).context["tasks"] == []


def test_it_agrees_with_the_permission_predicate(
    at, applicant, colleague, outsider, manager, other_manager, reviewer1, reviewer2, advisor, funder_user
):
    from viewflow.workflow.models import Task

    from workflow.engine import ACTIVE
    from workflow.permissions import can_execute_task

    at("score")
    open_tasks = list(Task.objects.filter(status__in=ACTIVE))
    for user in (applicant, colleague, outsider, manager, other_manager, reviewer1, reviewer2, advisor, funder_user):
        expected = {t.pk for t in open_tasks if can_execute_task(user, t)}
        assert {t.pk for t in tasks_for_user(user=user)} == expected


def test_it_keeps_the_applicant_inbox_query_count_flat(client, call, organisation, applicant):
    client.force_login(applicant)
    _drafts(2, call=call, organisation=organisation, applicant=applicant)
    two, response = _count_queries(client)
    assert len(response.context["tasks"]) == 2
    _drafts(6, call=call, organisation=organisation, applicant=applicant)
    eight, response = _count_queries(client)
    assert len(response.context["tasks"]) == 8
    assert eight == two


def test_it_keeps_the_manager_inbox_query_count_flat(client, call, organisation, applicant, manager):
    client.force_login(manager)
    drafts = _drafts(8, call=call, organisation=organisation, applicant=applicant)
    for draft in drafts[:2]:
        services.application_submit(application=draft, by=applicant)
    two, response = _count_queries(client)
    assert len(response.context["tasks"]) == 2
    for draft in drafts[2:]:
        services.application_submit(application=draft, by=applicant)
    eight, response = _count_queries(client)
    assert len(response.context["tasks"]) == 8
    assert eight == two


def test_it_lists_the_human_history_of_an_application(at, draft, manager):
    at("assign_reviewers")
    history = list(application_history(application=draft))
    assert [t.flow_task.name for t in history] == ["start", "draft", "screen", "assign_reviewers"]
    assert history[2].owner == manager


def test_it_shows_the_decide_task_to_the_committees_chair_unless_conflicted(client, at, call, reviewer1, organisation):
    from viewflow.workflow.models import Task

    from reviewers.models import CommitteeSettings, Conflict
    from workflow.engine import ACTIVE
    from workflow.permissions import can_execute_task

    CommitteeSettings.objects.create(call=call, chair=reviewer1)
    task = at("decide")
    client.force_login(reviewer1)
    assert [t.pk for t in client.get(INBOX).context["tasks"]] == [task.pk]
    Conflict.objects.create(call=call, member=reviewer1, organisation=organisation, reason="CA")
    assert client.get(INBOX).context["tasks"] == []
    open_tasks = list(Task.objects.filter(status__in=ACTIVE))
    assert {t.pk for t in tasks_for_user(user=reviewer1)} == {
        t.pk for t in open_tasks if can_execute_task(reviewer1, t)
    }
