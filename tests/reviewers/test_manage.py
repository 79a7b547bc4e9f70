"""Fund managers' configuration pages: advisors' rules and the committee's rules."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Mrc
from reviewers.models import AdvisorProfile, CommitteeSettings, RubricLevel
from tests import factories as f


def test_it_lists_the_advisors_with_their_load_in_constant_queries(client, manager, fund, advisor):
    AdvisorProfile.objects.create(advisor=advisor, capacity=2)
    client.force_login(manager)
    url = reverse("reviewers:advisors")

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), len(response.context["advisors"])

    one, rows = measure()
    assert rows == 1
    for i in range(4):
        user = f.make_user(email=f"a{i}@soutien.example", role="advisor")
        AdvisorProfile.objects.create(advisor=user).mrcs.set(Mrc.objects.all()[:2])
    five, rows = measure()
    assert rows == 5 and five == one


def test_it_saves_an_advisors_rules(client, manager, fund, advisor):
    mrc = Mrc.objects.get(code="061")
    client.force_login(manager)
    url = reverse("reviewers:advisor_rule", args=[advisor.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"mrcs": [mrc.pk], "capacity": "3", "available": "on"})
    assert response.status_code == 302
    profile = AdvisorProfile.objects.get(advisor=advisor)
    assert list(profile.mrcs.all()) == [mrc] and profile.capacity == 3 and profile.available


def test_it_keeps_what_was_typed_on_a_bad_rule(client, manager, fund, advisor):
    client.force_login(manager)
    response = client.post(reverse("reviewers:advisor_rule", args=[advisor.pk]), {"capacity": "-2"})
    assert response.status_code == 200 and response.context["form"].errors["capacity"]
    assert 'value="-2"' in response.content.decode()
    assert not AdvisorProfile.objects.exists()


@pytest.mark.parametrize("who", ["applicant", "advisor", "reviewer1", "funder_user"])
def test_it_keeps_the_advisor_rules_to_fund_managers(client, request, who, advisor):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reviewers:advisors")).status_code == 403
    assert client.get(reverse("reviewers:advisor_rule", args=[advisor.pk])).status_code == 403


def test_it_returns_404_for_a_user_who_is_not_an_advisor(client, manager, fund, reviewer1):
    client.force_login(manager)
    assert client.get(reverse("reviewers:advisor_rule", args=[reviewer1.pk])).status_code == 404


def test_it_saves_the_committees_rules_and_rubric(client, manager, call, reviewer1):
    criterion = call.criteria.order_by("position").first()
    client.force_login(manager)
    url = reverse("reviewers:committee", args=[call.pk])
    assert client.get(url).status_code == 200
    data = {
        "chair": reviewer1.pk,
        "comment_threshold": "2",
        "disagreement_threshold": "1,25",
        f"level_{criterion.pk}_5": "Jamais vu dans la région",
    }
    assert client.post(url, data).status_code == 302
    settings = CommitteeSettings.objects.get(call=call)
    assert (settings.chair, settings.comment_threshold, settings.disagreement_threshold) == (
        reviewer1,
        2,
        Decimal("1.25"),
    )
    assert RubricLevel.objects.get(criterion=criterion, level=5).description == "Jamais vu dans la région"
    data[f"level_{criterion.pk}_5"] = ""
    client.post(url, data)
    assert not RubricLevel.objects.exists()


def test_it_refuses_a_chair_outside_the_committee(client, manager, call, advisor):
    client.force_login(manager)
    response = client.post(
        reverse("reviewers:committee", args=[call.pk]), {"chair": advisor.pk, "disagreement_threshold": "1"}
    )
    assert response.status_code == 200 and response.context["form"].errors["chair"]


@pytest.mark.parametrize("who", ["other_manager", "reviewer1", "applicant"])
def test_it_keeps_the_committee_page_to_the_funds_managers(client, request, who, call):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reviewers:committee", args=[call.pk])).status_code == 403
