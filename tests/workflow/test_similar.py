"""Similar projects in the same territory, shown to the fund manager at screening (never to the applicant).

Runs on SQLite (word-overlap fallback) and, with DATABASE_URL=postgres://..., on PostgreSQL full-text.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from forms.models import Application, CoFundingRequest
from forms.similar import MIN_SCORE, jaccard, significant_words, similar_projects
from tests import factories as f
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

KITCHEN = (
    "Cuisine collective pour les familles",
    "Des ateliers de cuisine collective où les familles préparent ensemble des repas sains et économiques.",
)
KITCHEN_ELSEWHERE = (
    "Cuisines collectives familiales",
    "Ateliers de cuisine collective : les familles préparent des repas sains, économiques, ensemble.",
)
SKATEPARK = ("Planchodrome municipal", "Construction d'un planchodrome pour les adolescents du village.")


def submitted(*, call, organisation, by, text, status=None) -> Application:
    application = f.make_draft(call=call, organisation=organisation, by=by)
    Application.objects.filter(pk=application.pk).update(title=text[0], summary=text[1])
    application = services.application_submit(application=application, by=by)
    if status:
        Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.fixture
def territory(db, call, manager, other_manager):
    """Organisations of Joliette (061), Matawinie (062, same region) and Gatineau (081, another region)."""

    def org(name, mrc):
        user = f.make_user(email=f"{name.lower()}@example.org", role="applicant")
        return f.make_organisation(name=name, mrc_code=mrc, admin=user), user

    other_call = f.make_call(fund=other_manager.managed_funds.get(), title="Autre appel")
    return {
        "joliette": org("Joliette", "061"),
        "matawinie": org("Matawinie", "062"),
        "gatineau": org("Gatineau", "081"),
        "other_call": other_call,
    }


@pytest.fixture
def screened(call, organisation, applicant):
    """The application the manager screens: a collective kitchen in Joliette."""
    return submitted(call=call, organisation=organisation, by=applicant, text=KITCHEN)


# --- words ----------------------------------------------------------------------------------------------


def test_it_folds_accents_case_and_plurals_and_drops_stop_words():
    assert significant_words("Les CUISINES collectives économiques, pour des familles") == {
        "cuisine",
        "collective",
        "economique",
        "famille",
    }
    assert significant_words("The kitchens of the families") == {"kitchen", "familie"}


def test_it_scores_identical_texts_one_and_unrelated_texts_zero():
    kitchen = significant_words(" ".join(KITCHEN))
    assert jaccard(kitchen, kitchen) == 1
    assert jaccard(kitchen, significant_words(" ".join(SKATEPARK))) == 0
    assert jaccard(set(), kitchen) == 0


# --- what is found --------------------------------------------------------------------------------------


def test_it_finds_a_similar_project_of_another_organisation_in_the_same_region(screened, territory, call, manager):
    org, user = territory["matawinie"]
    twin = submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    submitted(call=call, organisation=org, by=user, text=SKATEPARK)
    [found] = similar_projects(application=screened, user=manager)
    assert found.application == twin
    assert MIN_SCORE <= found.score <= 1
    assert found.same_mrc is False
    assert found.visible is True


def test_it_flags_the_same_mrc_and_ranks_the_closest_first(screened, territory, call, manager):
    org, user = territory["joliette"]
    identical = submitted(call=call, organisation=org, by=user, text=KITCHEN)
    close = submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    found = similar_projects(application=screened, user=manager)
    assert [p.application for p in found] == [identical, close]
    assert found[0].score == pytest.approx(1)
    assert found[0].same_mrc is True
    assert found[0].percent == 100


def test_it_ignores_other_regions(screened, territory, call, manager):
    org, user = territory["gatineau"]
    submitted(call=call, organisation=org, by=user, text=KITCHEN)
    assert similar_projects(application=screened, user=manager) == []


def test_it_uses_the_territory_each_organisation_serves(screened, territory, call, manager):
    from accounts.models import Mrc

    # Head office in Gatineau, but the organisation serves Joliette and Matawinie: found once, same MRC.
    org, user = territory["gatineau"]
    org.mrcs_served.set(Mrc.objects.filter(code__in=["061", "062"]))
    twin = submitted(call=call, organisation=org, by=user, text=KITCHEN)
    [found] = similar_projects(application=screened, user=manager)
    assert found.application == twin and found.same_mrc is True
    # Serving only Gatineau again: out of the region.
    org.mrcs_served.set(Mrc.objects.filter(code="081"))
    assert similar_projects(application=screened, user=manager) == []


def test_it_never_compares_drafts(screened, territory, call, manager):
    org, user = territory["joliette"]
    draft = f.make_draft(call=call, organisation=org, by=user)
    Application.objects.filter(pk=draft.pk).update(title=KITCHEN[0], summary=KITCHEN[1])
    assert similar_projects(application=screened, user=manager) == []


def test_it_includes_funded_projects_and_earlier_applications_of_the_same_organisation(
    screened, call, organisation, applicant, manager
):
    funded = submitted(
        call=call, organisation=organisation, by=applicant, text=KITCHEN, status=Application.Status.FUNDED
    )
    [found] = similar_projects(application=screened, user=manager)
    assert found.application == funded and found.funded


def test_it_leaves_out_the_applications_own_cofunded_copies(draft, territory, applicant, manager):
    Application.objects.filter(pk=draft.pk).update(title=KITCHEN[0], summary=KITCHEN[1])
    CoFundingRequest.objects.create(application=draft, call=territory["other_call"], amount=Decimal("10000"))
    lead = services.application_submit(application=draft, by=applicant)
    copy = Application.objects.get(lead=lead)
    assert similar_projects(application=lead, user=manager) == []
    assert similar_projects(application=copy, user=manager) == []


def test_it_shows_other_funds_projects_without_a_link(screened, territory, manager, other_manager):
    org, user = territory["matawinie"]
    elsewhere = submitted(call=territory["other_call"], organisation=org, by=user, text=KITCHEN)
    [found] = similar_projects(application=screened, user=manager)
    assert found.application == elsewhere and found.visible is False
    # Seen from the other fund, the screened application is the one without a link.
    [back] = similar_projects(application=elsewhere, user=other_manager)
    assert back.application == screened and back.visible is False


def test_it_keeps_a_fixed_number_of_queries_whatever_the_candidates(
    screened, territory, call, manager, django_assert_max_num_queries
):
    org, user = territory["joliette"]
    submitted(call=call, organisation=org, by=user, text=KITCHEN)
    with django_assert_max_num_queries(10) as few:
        assert len(similar_projects(application=screened, user=manager)) == 1
    for _ in range(6):
        submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(similar_projects(application=screened, user=manager)) == 7


def test_postgresql_full_text_matches_french_inflections(screened, territory, call, manager):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL full-text only (set DATABASE_URL=postgres://...); SQLite uses the word-overlap fallback"
        )
    org, user = territory["matawinie"]
    # Only inflected forms in common: the 'french' stemmer relates them, the plain fallback would not.
    twin = submitted(
        call=call,
        organisation=org,
        by=user,
        text=("Cuisiner collectivement en famille", "Préparation de repas économiques par des familles."),
    )
    [found] = similar_projects(application=screened, user=manager)
    assert found.application == twin


# --- the screening page ---------------------------------------------------------------------------------


def screen_url(application):
    return reverse("workflow:task", args=[active_task(application=application, node=ApplicationFlow.screen).pk])


def test_the_manager_sees_similar_projects_on_the_screening_page(client, screened, territory, call, manager):
    org, user = territory["matawinie"]
    twin = submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    far = submitted(call=territory["other_call"], organisation=org, by=user, text=KITCHEN)
    client.force_login(manager)
    response = client.get(screen_url(screened), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Similar projects in the territory" in html
    assert reverse("forms:detail", args=[twin.pk]) in html
    assert reverse("forms:detail", args=[far.pk]) not in html  # another fund's application: no link
    assert "Matawinie" in html and "Autre fonds" in html
    assert "Not shown (another fund)" in html
    # Another fund's request that was not funded: its fund, year and similarity, not its title.
    assert "Confidential request" in html
    [far_row] = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "Autre fonds" in row]
    assert "Confidential request" in far_row and far.title not in far_row
    assert "Not shown (another fund)" in far_row


def test_the_screening_page_says_when_nothing_is_similar(client, screened, manager):
    client.force_login(manager)
    response = client.get(screen_url(screened), HTTP_ACCEPT_LANGUAGE="en")
    assert "No similar project in the same region." in response.content.decode()


def test_the_screening_page_shows_the_co_funding(client, draft, territory, applicant, manager):
    CoFundingRequest.objects.create(application=draft, call=territory["other_call"], amount=Decimal("10000"))
    services.application_submit(application=draft, by=applicant)
    client.force_login(manager)
    html = client.get(screen_url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Co-funding" in html and "Autre appel" in html


def test_the_applicant_never_sees_similar_projects(client, screened, territory, call, applicant):
    org, user = territory["matawinie"]
    submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    client.force_login(applicant)
    assert client.get(screen_url(screened)).status_code == 403
    detail = client.get(reverse("forms:detail", args=[screened.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Similar projects" not in detail and "Cuisines collectives familiales" not in detail


@pytest.mark.parametrize("who", ["outsider", "other_manager", "advisor", "reviewer1", "funder_user"])
def test_people_who_cannot_see_the_application_get_404(client, screened, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(screen_url(screened)).status_code == 404


def test_the_screening_page_keeps_its_query_count_with_more_similar_projects(
    client, screened, territory, call, manager, django_assert_max_num_queries
):
    org, user = territory["joliette"]
    submitted(call=call, organisation=org, by=user, text=KITCHEN)
    client.force_login(manager)
    url = screen_url(screened)
    client.get(url)
    with django_assert_max_num_queries(200) as baseline:
        client.get(url)
    for _ in range(5):
        submitted(call=call, organisation=org, by=user, text=KITCHEN_ELSEWHERE)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count(">Joliette<") >= 6
