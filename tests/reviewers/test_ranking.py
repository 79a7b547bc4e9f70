from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviewers import services as review
from reviewers import services as reviewer_services
from reviewers.models import SimulatedAmount
from reviewers.ranking import simulate_envelope, z_scores
from reviewers.selectors import call_ranking, weighted_average, weighted_totals
from tests import factories as f
from tests.workflow.steps import bring_to
from workflow.engine import active_task
from workflow.flows import ApplicationFlow


def ranking_url(call):
    return reverse("reviewers:ranking", args=[call.pk])


@pytest.fixture
def weighted_call(call):
    """Weights 1, 1, 2 (innovation, concertation, pérennité)."""
    perennite = call.criteria.get(key="perennite")
    perennite.weight = Decimal("2")
    perennite.save()
    return call


def _scored(call, organisation, applicant, manager, reviewers, by_reviewer, title):
    """An application whose reviewers gave (innovation, concertation, pérennité) scores."""
    application = f.make_draft(call=call, organisation=organisation, by=applicant)
    application.title = title
    application.save(update_fields=["title"])
    innovation, concertation, perennite = call.criteria.order_by("position")
    scores = {
        reviewer: {innovation.pk: i, concertation.pk: c, perennite.pk: p}
        for reviewer, (i, c, p) in zip(reviewers, by_reviewer, strict=True)
    }
    bring_to(
        "decide", application=application, applicant=applicant, manager=manager, reviewers=reviewers, scores=scores
    )
    return application


def test_it_computes_a_weighted_average():
    assert weighted_average([(1, 4), (1, 2), (2, 5)]) == Decimal("4")
    assert weighted_average([(Decimal("0.5"), 5), (Decimal("1.5"), 1)]) == Decimal("2")
    assert weighted_average([]) is None


def test_it_ranks_by_the_mean_of_the_reviewers_weighted_averages(
    weighted_call, organisation, applicant, manager, reviewer1, reviewer2
):
    reviewers = [reviewer1, reviewer2]
    # reviewer1: (4·1 + 2·1 + 5·2) / 4 = 4.0 ; reviewer2: (3·1 + 3·1 + 1·2) / 4 = 2.0 ; total 3.0
    middle = _scored(weighted_call, organisation, applicant, manager, reviewers, [(4, 2, 5), (3, 3, 1)], "Milieu")
    # reviewer1: (5 + 5 + 10) / 4 = 5.0 ; reviewer2: (4 + 4 + 6) / 4 = 3.5 ; total 4.25
    best = _scored(weighted_call, organisation, applicant, manager, reviewers, [(5, 5, 5), (4, 4, 3)], "Meilleur")
    # reviewer1: (0 + 1 + 2) / 4 = 0.75 ; reviewer2: (2 + 0 + 0) / 4 = 0.5 ; total 0.625
    last = _scored(weighted_call, organisation, applicant, manager, reviewers, [(0, 1, 1), (2, 0, 0)], "Dernier")
    f.make_draft(call=weighted_call, organisation=organisation, by=applicant)  # not scored: left out

    rows = weighted_totals(call=weighted_call)

    assert [row.application.pk for row in rows] == [best.pk, middle.pk, last.pk]
    assert [row.total for row in rows] == [Decimal("4.25"), Decimal("3"), Decimal("0.625")]
    assert [r.weighted_average for r in rows[1].reviewers] == [Decimal("4"), Decimal("2")]
    assert [row.submitted for row in rows] == [2, 2, 2]


def test_it_counts_only_submitted_reviewers(call, draft, applicant, manager, reviewer1, reviewer2):
    bring_to("score", application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2])
    task = active_task(application=draft, node=ApplicationFlow.score, owner=reviewer1)
    reviewer_services.score_submit(task=task, by=reviewer1, values={c.pk: (3, "") for c in call.criteria.all()})
    [row] = weighted_totals(call=call)
    assert row.submitted == 1
    assert row.assigned == 2
    assert row.total == Decimal("3")


def test_it_shows_the_ranking_to_the_fund_manager(
    client, weighted_call, organisation, applicant, manager, reviewer1, reviewer2
):
    _scored(weighted_call, organisation, applicant, manager, [reviewer1, reviewer2], [(4, 2, 5), (3, 3, 1)], "Milieu")
    client.force_login(manager)
    response = client.get(ranking_url(weighted_call))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Milieu" in body
    assert "3,00" in body and "4,00" in body and "2,00" in body


def test_it_sends_anonymous_visitors_to_the_login_page(client, call):
    response = client.get(ranking_url(call))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "outsider", "advisor", "other_manager", "funder_user", "admin_user"])
def test_it_forbids_the_ranking_to_everybody_but_the_funds_managers_and_committee(client, call, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(ranking_url(call)).status_code == 403


def test_it_returns_404_for_a_missing_call(client, manager):
    client.force_login(manager)
    assert client.get(reverse("reviewers:ranking", args=[999999])).status_code == 404


def test_it_shows_the_ranking_to_declared_committee_members(client, call, reviewer1):
    review.conflicts_declare(call=call, member=reviewer1)
    client.force_login(reviewer1)
    response = client.get(ranking_url(call))
    assert response.status_code == 200
    assert response.context["can_simulate"] is False


def test_it_computes_z_scores_by_hand():
    # Reviewer 1 gave totals 4, 2, 3 (mean 3, population sd √(2/3) ≈ 0.8165); reviewer 2 gave 1, 1 (sd 0 → z 0).
    totals = {
        (1, 10): Decimal("4"),
        (1, 11): Decimal("2"),
        (1, 12): Decimal("3"),
        (2, 10): Decimal("1"),
        (2, 11): Decimal("1"),
    }
    z = z_scores(totals)
    assert z[(1, 10)] == pytest.approx(1.224745, abs=1e-6)
    assert z[(1, 11)] == pytest.approx(-1.224745, abs=1e-6)
    assert z[(1, 12)] == 0
    assert z[(2, 10)] == z[(2, 11)] == 0


def test_it_simulates_the_envelope_down_the_ranking():
    lines, remaining = simulate_envelope(Decimal("100"), [Decimal("40"), Decimal("50"), Decimal("20"), Decimal("5")])
    assert [line.funded for line in lines] == [True, True, False, False]
    assert [line.remaining_after for line in lines] == [Decimal("60"), Decimal("10"), Decimal("10"), Decimal("10")]
    assert remaining == Decimal("10")


def test_it_ranks_with_normalised_totals_disagreement_and_simulation(
    client, weighted_call, organisation, applicant, manager, reviewer1, reviewer2
):
    from reviewers.models import CommitteeSettings

    CommitteeSettings.objects.create(call=weighted_call, disagreement_threshold=Decimal("1.5"))
    weighted_call.envelope = Decimal("50000")
    weighted_call.save(update_fields=["envelope"])
    reviewers = [reviewer1, reviewer2]
    # reviewer1 totals: 4, 5, 0.75 ; reviewer2 totals: 2, 3.5, 0.5 (see the weighted test above)
    middle = _scored(weighted_call, organisation, applicant, manager, reviewers, [(4, 2, 5), (3, 3, 1)], "Milieu")
    best = _scored(weighted_call, organisation, applicant, manager, reviewers, [(5, 5, 5), (4, 4, 3)], "Meilleur")
    last = _scored(weighted_call, organisation, applicant, manager, reviewers, [(0, 1, 1), (2, 0, 0)], "Dernier")
    result = call_ranking(call=weighted_call, viewer=manager)
    rows = {row.pk: row for row in result.rows}
    # reviewer1: mean 3.25, sd = √(((0.75)² + (1.75)² + (2.5)²) / 3) = √(9.875/3) ≈ 1.81430
    # reviewer2: mean 2, sd = √((0 + 2.25 + 2.25) / 3) = √1.5 ≈ 1.22474
    assert rows[best.pk].z == pytest.approx(((5 - 3.25) / 1.814298 + 1.5 / 1.224745) / 2, abs=1e-5)
    assert rows[middle.pk].z == pytest.approx(((4 - 3.25) / 1.814298 + 0) / 2, abs=1e-5)
    assert rows[last.pk].z == pytest.approx(((0.75 - 3.25) / 1.814298 - 1.5 / 1.224745) / 2, abs=1e-5)
    # Spreads: 2 (flagged, above 1.5), 1.5 (not above), 0.25.
    assert [rows[a.pk].disagreement for a in (middle, best, last)] == [True, False, False]
    assert rows[middle.pk].spread == Decimal("2")
    # Envelope 50 000: each asks 35 000 → only the best is funded.
    assert [row.funded for row in result.rows] == [True, False, False]
    assert result.remaining == Decimal("15000")
    # The committee lowers the second one to 15 000: it now fits.
    review.simulation_set(application=middle, by=manager, amount=Decimal("15000"))
    result = call_ranking(call=weighted_call, viewer=manager)
    assert [row.funded for row in result.rows] == [True, True, False]
    assert result.remaining == Decimal("0")
    client.force_login(manager)
    url = reverse("reviewers:simulate", args=[weighted_call.pk])
    response = client.post(url, {f"amount_{last.pk}": "abc", f"amount_{best.pk}": "1"})
    assert response.status_code == 302
    assert not SimulatedAmount.objects.filter(application__in=[last, best]).exists()  # nothing changed
    # The whole table comes back: unchanged amounts store nothing, a typed one is kept, an empty one resets.
    response = client.post(
        url,
        {f"amount_{best.pk}": "35000", f"amount_{middle.pk}": "", f"amount_{last.pk}": "12 500,00".replace(" ", "")},
    )
    assert response.status_code == 302
    assert dict(SimulatedAmount.objects.values_list("application_id", "amount")) == {last.pk: Decimal("12500")}
    by_z = client.get(ranking_url(weighted_call), {"order": "z"})
    assert [r.pk for r in by_z.context["rows"]] == [best.pk, middle.pk, last.pk]


def test_it_keeps_the_ranking_query_count_the_same_for_100_and_2000_applications(
    client, call, organisation, applicant, manager, reviewer1, reviewer2
):
    from tests.reviewers.bulk import scored_applications

    third = f.make_user(email="rose@comite.example", role="committee")
    reviewers = [reviewer1, reviewer2, third]
    client.force_login(manager)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(ranking_url(call))
        assert response.status_code == 200
        return len(ctx), len(response.context["rows"])

    scored_applications(call=call, organisation=organisation, by=applicant, reviewers=reviewers, count=100)
    hundred, rows = measure()
    assert rows == 100
    scored_applications(call=call, organisation=organisation, by=applicant, reviewers=reviewers, count=1900)
    two_thousand, rows = measure()
    assert rows == 2000
    assert two_thousand == hundred
    assert hundred <= 12


def test_it_keeps_the_ranking_query_count_flat(client, call, organisation, applicant, manager, reviewer1, reviewer2):
    reviewers = [reviewer1, reviewer2]
    client.force_login(manager)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(ranking_url(call))
        assert response.status_code == 200
        return len(ctx), len(response.context["rows"])

    for i in range(3):
        _scored(call, organisation, applicant, manager, reviewers, [(i, 3, 4), (5, i, 2)], f"Projet {i}")
    three, rows = measure()
    assert rows == 3
    for i in range(3, 10):
        _scored(call, organisation, applicant, manager, reviewers, [(i % 6, 3, 4), (5, 1, 2)], f"Projet {i}")
    ten, rows = measure()
    assert rows == 10
    assert ten == three
