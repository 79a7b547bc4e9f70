"""Committee: declarations, conflict isolation, assignment, scoring drafts, chair decisions, decision sheet."""

from decimal import Decimal

import pytest
from django.urls import reverse

from forms.models import Application
from reviewers import services as review
from reviewers.models import CommitteeSettings, Conflict, ConflictDeclaration, DecisionYear, ReviewerAssignment, Score
from reviewers.pdf import render_decision_sheet_html
from tests import factories as f
from tests.workflow.steps import bring_to
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage
from workflow.selectors import tasks_for_user


def task_url(task):
    return reverse("workflow:task", args=[task.pk])


@pytest.fixture
def reviewer3(db, call):
    user = f.make_user(email="remi@comite.example", role="committee", full_name="Rémi Reviewer")
    call.committee.add(user)
    return user


@pytest.fixture
def chair(db, call):
    user = f.make_user(email="chantal@comite.example", role="committee", full_name="Chantal Chair", language="en")
    CommitteeSettings.objects.create(call=call, chair=user)
    return user


def declare(call, *members, conflicts=()):
    for member in members:
        review.conflicts_declare(call=call, member=member, conflicts=list(conflicts))


# --- declarations ----------------------------------------------------------------------------


def test_it_sends_an_undeclared_member_to_the_declaration_page_first(client, at, reviewer1, call):
    task = at("score")
    client.force_login(reviewer1)
    for url in (task_url(task), reverse("reviewers:ranking", args=[call.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("reviewers:declare", args=[call.pk]))


def test_it_records_a_declaration_of_no_conflict_and_goes_back(client, at, reviewer1, call):
    task = at("score")
    client.force_login(reviewer1)
    url = reverse("reviewers:declare", args=[call.pk])
    page = client.get(url, {"next": task_url(task)})
    assert page.status_code == 200
    assert "Carrefour familial" in page.content.decode()  # the organisations that applied
    response = client.post(url, {"none": "on", "next": task_url(task)})
    assert response.status_code == 302 and response["Location"] == task_url(task)
    assert ConflictDeclaration.objects.filter(call=call, member=reviewer1).exists()
    assert client.get(task_url(task)).status_code == 200


def test_it_refuses_an_empty_declaration_and_a_conflict_without_reason(client, at, reviewer1, call, organisation):
    at("score")
    client.force_login(reviewer1)
    url = reverse("reviewers:declare", args=[call.pk])
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {f"org_{organisation.pk}": "on", f"reason_{organisation.pk}": " "})
    assert response.status_code == 200
    assert response.context["form"].errors[f"reason_{organisation.pk}"]
    assert not ConflictDeclaration.objects.exists()


def test_it_keeps_the_declaration_page_to_committee_members(client, call, manager, applicant, advisor):
    url = reverse("reviewers:declare", args=[call.pk])
    for user in (manager, applicant, advisor):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert client.get(reverse("reviewers:declare", args=[99999])).status_code == 404


def test_it_moves_an_open_assignment_when_a_conflict_is_declared(at, call, reviewer1, reviewer3, organisation, draft):
    at("score")
    task = active_task(application=draft, node=ApplicationFlow.score, owner=reviewer1)
    declare(call, reviewer1, conflicts=[(organisation, "Je siège à son CA.")])
    assert not ReviewerAssignment.objects.filter(application=draft, reviewer=reviewer1).exists()
    assert ReviewerAssignment.objects.filter(application=draft, reviewer=reviewer3).exists()
    task.refresh_from_db()
    assert task.owner == reviewer3 and task.data["reviewer"] == reviewer3.pk


def test_it_refuses_a_conflict_after_scoring(at, call, reviewer1, organisation, draft):
    at("decide")
    with pytest.raises(review.ConflictAfterScoring):
        declare(call, reviewer1, conflicts=[(organisation, "Tardif")])
    assert not Conflict.objects.exists()


def test_it_refuses_a_conflict_nobody_can_take_over(at, call, reviewer1, organisation):
    at("score")  # reviewer1 and reviewer2 are the whole committee
    with pytest.raises(review.NoReplacement):
        declare(call, reviewer1, conflicts=[(organisation, "CA")])
    assert not Conflict.objects.exists()


# --- conflict isolation over every reviewer-facing page and export -----------------------------


@pytest.fixture
def conflicted_world(call, organisation, applicant, manager, reviewer1, reviewer2, reviewer3, chair, outsider):
    """Two scored applications; reviewer3 and the chair are conflicted with the first one's organisation."""
    hidden = f.make_draft(call=call, organisation=organisation, by=applicant)
    Application.objects.filter(pk=hidden.pk).update(title="Projet secret")
    other_org = outsider.organisations.get()
    visible = f.make_draft(call=call, organisation=other_org, by=outsider)
    Application.objects.filter(pk=visible.pk).update(title="Projet visible")
    for a in (hidden, visible):
        a.refresh_from_db()
    declare(call, reviewer1, reviewer2)
    declare(call, reviewer3, chair, conflicts=[(organisation, "Conjoint au CA")])
    bring_to("decide", application=hidden, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2])
    applicant_of_other = outsider
    bring_to(
        "decide", application=visible, applicant=applicant_of_other, manager=manager, reviewers=[reviewer2, reviewer3]
    )
    return hidden, visible


def test_it_hides_a_conflicted_application_everywhere(client, conflicted_world, reviewer3, chair, call):
    hidden, visible = conflicted_world
    for user in (reviewer3, chair):
        client.force_login(user)
        # Its own pages: not found.
        for url in (
            hidden.get_absolute_url(),
            reverse("reviewers:scores", args=[hidden.pk]),
            task_url(active_task(application=hidden, node=ApplicationFlow.decide)),
        ):
            assert client.get(url).status_code == 404, (user, url)
        client.post(reverse("reviewers:simulate", args=[call.pk]), {f"amount_{hidden.pk}": "1"})
        assert not hidden.__class__.objects.filter(pk=hidden.pk, simulated_amount__isnull=False).exists()
        # Lists and exports: not a word, not a count.
        ranking = client.get(reverse("reviewers:ranking", args=[call.pk]))
        assert ranking.status_code == 200
        body = ranking.content.decode()
        assert "Projet secret" not in body and "Carrefour familial" not in body
        assert [row.pk for row in ranking.context["rows"]] == [visible.pk]
        assert "Projet visible" in body
        home = client.get(reverse("reviewers:committee_home")).content.decode()
        assert "Projet secret" not in home
        inbox = client.get(reverse("workflow:inbox")).content.decode()
        assert "Projet secret" not in inbox
    # The chair's decision sheet (PDF source) leaves it out too, once both are decided.
    html = render_decision_sheet_html(call=call, viewer=chair, language="fr")
    assert "Projet secret" not in html


def test_it_keeps_conflicted_members_out_of_the_assignment(
    at, call, reviewer1, reviewer2, reviewer3, organisation, draft
):
    declare(call, reviewer3, conflicts=[(organisation, "Ancien employé")])
    task = at("assign_reviewers")
    assert reviewer3 not in review.eligible_members(application=draft)
    assert reviewer3 not in review.reviewers_proposal(application=draft)
    from workflow.services import InvalidReviewers

    with pytest.raises(InvalidReviewers):
        review.reviewers_assign(task=task, by=draft.call.fund.managers.get(), reviewers=[reviewer1, reviewer3])


def test_it_never_shows_advisor_comments_on_reviewer_pages(
    client, draft, applicant, advisor, reviewer1, chair, manager, call
):
    review.support_request(application=draft, by=applicant)
    review.comment_add(application=draft, by=advisor, section="project", body="Secret de conseillère")
    review.advice_return(application=draft, by=advisor)
    declare(call, reviewer1, chair)
    task = bring_to(
        "score",
        application=draft,
        applicant=applicant,
        manager=manager,
        reviewers=[reviewer1, call.committee.exclude(pk=reviewer1.pk).first()],
    )
    client.force_login(reviewer1)
    assert "Secret de conseillère" not in client.get(task_url(task)).content.decode()
    review.score_submit(task=task, by=reviewer1, values={c.pk: (4, "") for c in call.criteria.all()})
    for url in (reverse("reviewers:scores", args=[draft.pk]), reverse("reviewers:ranking", args=[call.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret de conseillère" not in response.content.decode()
    assert "Secret de conseillère" not in render_decision_sheet_html(call=call, viewer=chair, language="en")


# --- assignment page ----------------------------------------------------------------------------


def test_it_prefills_the_assignment_with_the_proposal(client, at, manager, reviewer1, reviewer2, reviewer3, call):
    declare(call, reviewer1, reviewer2, reviewer3)
    other = f.make_draft(call=call, organisation=f.make_organisation(name="Autre"), by=manager)
    ReviewerAssignment.objects.create(application=other, reviewer=reviewer1)
    task = at("assign_reviewers")
    client.force_login(manager)
    response = client.get(task_url(task))
    assert response.status_code == 200
    assert set(response.context["form"].initial["reviewers"]) == {reviewer2.pk, reviewer3.pk}


# --- scoring --------------------------------------------------------------------------------------


def test_it_saves_a_draft_without_closing_the_task_then_submits(client, at, reviewer1, call, draft):
    declare(call, reviewer1)
    CommitteeSettings.objects.create(call=call, comment_threshold=2)
    task = at("score")
    first, second, third = call.criteria.order_by("position")
    client.force_login(reviewer1)
    response = client.post(task_url(task), {"action": "draft", f"score_{first.pk}": "1"})
    assert response.status_code == 302 and response["Location"] == task_url(task)
    assert Score.objects.get(criterion=first).value == 1
    assert active_task(application=draft, node=ApplicationFlow.score, owner=reviewer1) is not None
    page = client.get(task_url(task))
    assert page.context["form"].initial[f"score_{first.pk}"] == "1"
    # Submitting: every score is needed, and a comment for a score of 2 or less.
    data = {f"score_{first.pk}": "1", f"score_{second.pk}": "4", "action": "submit"}
    response = client.post(task_url(task), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"score_{third.pk}" in errors and f"comment_{first.pk}" in errors
    data |= {f"score_{third.pk}": "5", f"comment_{first.pk}": "Aucun partenaire nommé."}
    response = client.post(task_url(task), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviewers:scores", args=[draft.pk])
    assert ReviewerAssignment.objects.get(application=draft, reviewer=reviewer1).submitted_at


def test_it_shows_other_scores_only_after_submitting_ones_own(client, at, reviewer1, reviewer2, call, draft):
    declare(call, reviewer1, reviewer2)
    task = at("score")
    url = reverse("reviewers:scores", args=[draft.pk])
    client.force_login(reviewer2)
    other = active_task(application=draft, node=ApplicationFlow.score, owner=reviewer2)
    review.score_submit(task=other, by=reviewer2, values={c.pk: (3, "Rita") for c in call.criteria.all()})
    client.force_login(reviewer1)
    assert client.get(url).status_code == 403
    review.score_submit(task=task, by=reviewer1, values={c.pk: (4, "") for c in call.criteria.all()})
    response = client.get(url)
    assert response.status_code == 200
    assert "Rita Reviewer" in response.content.decode()


def test_it_shows_the_rubric_levels(client, at, reviewer1, call):
    from reviewers.models import RubricLevel

    criterion = call.criteria.order_by("position").first()
    RubricLevel.objects.create(criterion=criterion, level=5, description="Approche jamais vue dans la MRC")
    declare(call, reviewer1)
    client.force_login(reviewer1)
    body = client.get(task_url(at("score"))).content.decode()
    assert "Approche jamais vue dans la MRC" in body


# --- decision -------------------------------------------------------------------------------------


def test_it_lets_the_chair_decide_with_amounts_per_year(
    client, at, chair, call, draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    declare(call, chair)
    task = at("decide")
    assert task.pk in {t.pk for t in tasks_for_user(user=chair)}
    client.force_login(chair)
    assert client.get(task_url(task)).status_code == 200
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            task_url(task),
            {"decision": "approved", "reasons": "Strong partnerships.", "amount_1": "18000", "amount_2": "12000"},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.APPROVED
    assert list(DecisionYear.objects.values_list("year", "amount")) == [(1, Decimal("18000")), (2, Decimal("12000"))]
    [email] = [m for m in mailoutbox if applicant.email in m.to]
    assert "Strong partnerships." in email.body and "Approved" in email.subject
    html = render_decision_sheet_html(call=call, viewer=chair, language="fr")
    assert "Cuisine collective de Joliette" in html and "Strong partnerships." in html


def test_it_approves_the_amounts_asked_when_none_are_typed(at, manager, draft):
    task = at("decide")
    review.decision_record(task=task, by=manager, decision="approved", reasons="Oui.")
    assert list(DecisionYear.objects.values_list("amount", flat=True)) == [Decimal("20000"), Decimal("15000")]


def test_it_keeps_a_conflicted_chair_from_deciding(at, chair, call, organisation, reviewer3):
    declare(call, chair, conflicts=[(organisation, "Conjoint")])
    task = at("decide")
    assert task.pk not in {t.pk for t in tasks_for_user(user=chair)}
    from workflow.permissions import can_execute_task

    assert not can_execute_task(chair, task)


def test_it_serves_the_decision_sheet_pdf_to_managers_and_the_chair(client, at, manager, chair, call, reviewer1):
    declare(call, chair)
    task = at("decide")
    review.decision_record(task=task, by=manager, decision="declined", reasons="Hors cible.")
    url = reverse("reviewers:decision_sheet", args=[call.pk])
    for user in (manager, chair):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    client.force_login(reviewer1)
    assert client.get(url).status_code == 403


def test_it_notifies_in_each_recipients_language(at, manager, draft, applicant, colleague):
    colleague.language = "en"
    colleague.save(update_fields=["language"])
    task = at("decide")
    review.decision_record(task=task, by=manager, decision="waitlisted", reasons="Liste d'attente.")
    assert set(OutboxMessage.objects.filter(kind="decision").values_list("recipient_id", flat=True)) == {
        applicant.pk,
        colleague.pk,
    }


def test_it_never_shows_advisor_comments_on_the_application_page_to_reviewers(
    client, draft, applicant, advisor, reviewer1, reviewer2, manager, call
):
    review.support_request(application=draft, by=applicant)
    review.comment_add(application=draft, by=advisor, section="project", body="Secret de conseillère")
    review.advice_return(application=draft, by=advisor)
    declare(call, reviewer1)
    bring_to("score", application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2])
    client.force_login(reviewer1)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Secret de conseillère" not in response.content.decode()
