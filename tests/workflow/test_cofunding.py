"""Co-funding: one application written once, sent to several calls, each fund deciding on its own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from viewflow.workflow.models import Task

from fonds.models import Call, ChecklistItem
from forms.cofunding import checklist_mapping, cofunding_family, spread_amount
from forms.models import Application, BudgetLine, CoFundingRequest, IndicatorTarget
from forms.services import application_save_sustainability
from tests import factories as f
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage


@pytest.fixture
def other_fund(db, other_manager):
    return other_manager.managed_funds.get()


@pytest.fixture
def other_call(db, other_fund):
    return f.make_call(fund=other_fund, title="Fonds régions et ruralité", max_years=2)


@pytest.fixture
def third_call(db, manager):
    fund = f.make_fund(managers=[manager], name="Fondation du Grand Joliette")
    return f.make_call(fund=fund, title="Initiatives locales", max_years=1)


@pytest.fixture
def cofunded(draft, other_call):
    CoFundingRequest.objects.create(application=draft, call=other_call, amount=Decimal("10000"))
    return draft


def copies_of(application):
    return list(Application.objects.filter(lead=application).order_by("pk"))


def screens(application):
    return Task.objects.filter(process__applicationprocess__application=application, flow_task=ApplicationFlow.screen)


# --- the copies ---------------------------------------------------------------------------------


def test_it_sends_one_submitted_copy_to_each_cofunded_call(cofunded, other_call, third_call, applicant):
    CoFundingRequest.objects.create(application=cofunded, call=third_call, amount=Decimal("6000"))
    services.application_submit(application=cofunded, by=applicant)
    cofunded.refresh_from_db()
    copies = copies_of(cofunded)
    assert {c.call_id for c in copies} == {other_call.pk, third_call.pk}
    for copy in copies:
        assert copy.status == Application.Status.SUBMITTED
        assert copy.submitted_at == cofunded.submitted_at
        assert copy.organisation_id == cofunded.organisation_id
        assert copy.created_by_id == cofunded.created_by_id
        assert (copy.title, copy.summary, copy.concerted, copy.sustainability_plan) == (
            cofunded.title,
            cofunded.summary,
            cofunded.concerted,
            cofunded.sustainability_plan,
        )
        assert not copy.cofunding_requests.exists()
        assert screens(copy).count() == 1
    assert cofunded.status == Application.Status.SUBMITTED
    assert screens(cofunded).count() == 1


def test_it_copies_partners_indicators_with_their_targets_and_budget_lines(cofunded, applicant):
    indicator = cofunded.indicators.get()
    IndicatorTarget.objects.create(indicator=indicator, year=1, value=Decimal("20"))
    IndicatorTarget.objects.create(indicator=indicator, year=2, value=Decimal("40"))
    BudgetLine.objects.create(application=cofunded, label="Animatrice", year=1, amount=Decimal("18000"), position=0)
    BudgetLine.objects.create(application=cofunded, label="Denrées", year=2, amount=Decimal("9000"), position=1)
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    assert [(p.name, p.role) for p in copy.partners.all()] == [("CISSS de Lanaudière", "Référence des familles")]
    [twin] = copy.indicators.all()
    assert (twin.name, twin.unit, twin.baseline, twin.target) == ("Familles rejointes", "familles", 0, 40)
    assert [(t.year, t.value) for t in twin.targets.all()] == [(1, 20), (2, 40)]
    assert [(b.label, b.year, b.amount) for b in copy.budget_lines.all()] == [
        ("Animatrice", 1, Decimal("18000")),
        ("Denrées", 2, Decimal("9000")),
    ]
    # The lead keeps its own rows.
    assert cofunded.budget_lines.count() == 2 and indicator.targets.count() == 2


def test_it_spreads_the_amount_asked_of_each_call_like_the_leads_years(cofunded, third_call, applicant):
    # The lead asks 20 000 $ then 15 000 $; the other call (2 years) gets 10 000 $ in the same shares.
    CoFundingRequest.objects.create(application=cofunded, call=third_call, amount=Decimal("6000"))
    services.application_submit(application=cofunded, by=applicant)
    two_years, one_year = copies_of(cofunded)
    assert [(y.year, y.amount) for y in two_years.years.all()] == [(1, Decimal("5714.28")), (2, Decimal("4285.72"))]
    assert [(y.year, y.amount) for y in one_year.years.all()] == [(1, Decimal("6000"))]
    assert two_years.total_requested == Decimal("10000")


@given(
    amount=st.decimals(min_value=0, max_value=10_000_000, places=2),
    shares=st.lists(st.decimals(min_value=0, max_value=1_000_000, places=2), min_size=0, max_size=6),
    max_years=st.integers(min_value=1, max_value=5),
)
def test_it_always_spreads_the_exact_amount_over_allowed_years(amount, shares, max_years):
    years = spread_amount(amount=amount, shares=shares, max_years=max_years)
    assert sum(years) == amount
    assert 1 <= len(years) <= max_years
    assert all(y >= 0 for y in years)
    assert all(y == y.quantize(Decimal("0.01")) for y in years)


def test_it_carries_checklist_answers_to_the_same_questions_of_the_other_call(draft, other_call, applicant):
    items = list(ChecklistItem.objects.filter(criterion__call=draft.call).order_by("criterion__position", "position"))
    application_save_sustainability(
        application=draft,
        sustainability_plan="Autofinancement.",
        answers={
            items[0].pk: (True, "Aucun service ne le fait."),
            items[5].pk: (True, "Cuisine reprise par les familles."),
        },
    )
    # The other call reworded one question and dropped the last pérennité question.
    theirs = list(ChecklistItem.objects.filter(criterion__call=other_call).order_by("criterion__position", "position"))
    ChecklistItem.objects.filter(pk=theirs[0].pk).update(text="Le projet répond-il à un besoin non couvert ?")
    ChecklistItem.objects.filter(pk=theirs[5].pk).delete()
    CoFundingRequest.objects.create(application=draft, call=other_call, amount=Decimal("10000"))
    services.application_submit(application=draft, by=applicant)
    [copy] = copies_of(draft)
    answers = {a.item_id: (a.checked, a.justification) for a in copy.checklist_answers.all()}
    # Same criterion, same number of items: the reworded question follows by rank.
    assert answers == {theirs[0].pk: (True, "Aucun service ne le fait.")}


def test_it_carries_answers_to_the_same_questions_and_shares_the_attachments(cofunded, call, other_call, applicant):
    from forms.models import Attachment, CallQuestion, QuestionAnswer

    ours = CallQuestion.objects.create(call=call, step="project", label="Who carries the project?")
    only_ours = CallQuestion.objects.create(call=call, step="project", label="Why us?")
    theirs = CallQuestion.objects.create(call=other_call, step="project", label="who carries  the project?")
    CallQuestion.objects.create(call=other_call, step="budget", label="Other funding?")
    QuestionAnswer.objects.create(application=cofunded, question=ours, text="Le Carrefour et le CISSS.")
    QuestionAnswer.objects.create(application=cofunded, question=only_ours, text="Parce que.")
    Attachment.objects.create(
        application=cofunded, file="private/applications/1/abc.pdf", name="lettre.pdf", kind="pdf", size=1234
    )
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    assert [(a.question_id, a.text) for a in copy.question_answers.all()] == [(theirs.pk, "Le Carrefour et le CISSS.")]
    [attachment] = copy.attachments.all()
    assert (attachment.file.name, attachment.name, attachment.size) == (
        "private/applications/1/abc.pdf",
        "lettre.pdf",
        1234,
    )
    assert cofunded.attachments.count() == 1


def test_it_matches_checklist_questions_by_text_before_rank(call, other_call):
    ours = list(ChecklistItem.objects.filter(criterion__call=call, criterion__key="innovation").order_by("position"))
    theirs = list(
        ChecklistItem.objects.filter(criterion__call=other_call, criterion__key="innovation").order_by("position")
    )
    # The other call lists the same two questions in the opposite order, with other spacing and case.
    ChecklistItem.objects.filter(pk=theirs[0].pk).update(position=5)
    ChecklistItem.objects.filter(pk=theirs[1].pk).update(text="  " + ours[1].text.upper())
    mapping = checklist_mapping(source=call, target=other_call)
    assert mapping[ours[0].pk].pk == theirs[0].pk
    assert mapping[ours[1].pk].pk == theirs[1].pk


# --- refusals --------------------------------------------------------------------------------------


def test_it_refuses_the_whole_submission_when_a_cofunded_call_is_closed(cofunded, other_call, applicant):
    Call.objects.filter(pk=other_call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.DeadlinePassed) as refused:
        services.application_submit(application=cofunded, by=applicant)
    assert refused.value.call == other_call
    with translation.override("en"):
        assert "Fonds régions et ruralité" in refused.value.message
        assert "your draft is kept" in refused.value.message
    cofunded.refresh_from_db()
    assert cofunded.status == Application.Status.DRAFT and cofunded.submitted_at is None
    assert copies_of(cofunded) == []
    assert active_task(application=cofunded, node=ApplicationFlow.draft) is not None
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "amount,needle", [(Decimal("60000"), "above its maximum"), (Decimal("1000"), "below its minimum")]
)
def test_it_refuses_an_amount_outside_the_other_calls_limits(draft, other_call, applicant, amount, needle):
    CoFundingRequest.objects.create(application=draft, call=other_call, amount=amount)
    with translation.override("en"), pytest.raises(services.Incomplete) as refused:
        services.application_submit(application=draft, by=applicant)
    assert refused.value.missing == ["cofunding"]
    [message] = refused.value.messages
    assert needle in message and "Fonds régions et ruralité" in message
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and copies_of(draft) == []


def test_it_refuses_a_cofunding_request_to_the_applications_own_call(draft, call, applicant):
    CoFundingRequest.objects.create(application=draft, call=call, amount=Decimal("10000"))
    with pytest.raises(services.Incomplete) as refused:
        services.application_submit(application=draft, by=applicant)
    assert refused.value.missing == ["cofunding"]
    assert copies_of(draft) == []


def test_it_refuses_an_outsider_and_writes_nothing(cofunded, outsider):
    with pytest.raises(PermissionDenied):
        services.application_submit(application=cofunded, by=outsider)
    assert copies_of(cofunded) == []


def test_it_keeps_the_draft_when_the_submit_page_refuses_a_closed_cofunded_call(
    client, cofunded, other_call, applicant
):
    Call.objects.filter(pk=other_call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[cofunded.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("forms:wizard_step", args=[cofunded.pk, "summary"])
    cofunded.refresh_from_db()
    assert cofunded.status == Application.Status.DRAFT
    assert copies_of(cofunded) == []


def test_it_never_lets_an_application_with_a_bad_cofunding_request_answer_500(client, draft, call, applicant):
    CoFundingRequest.objects.create(application=draft, call=call, amount=Decimal("10000"))
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


# --- once only -------------------------------------------------------------------------------------


def test_it_makes_one_copy_per_call_when_submitted_twice(cofunded, applicant, colleague):
    services.application_submit(application=cofunded, by=applicant)
    services.application_submit(application=cofunded, by=colleague)
    [copy] = copies_of(cofunded)
    assert screens(copy).count() == 1
    assert screens(cofunded).count() == 1


def test_it_submits_through_the_page_once(client, cofunded, applicant):
    client.force_login(applicant)
    for _ in range(2):
        assert client.post(reverse("forms:submit", args=[cofunded.pk])).status_code == 302
    assert len(copies_of(cofunded)) == 1


def test_a_copy_is_never_submitted_on_its_own(cofunded, applicant):
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    again = services.application_submit(application=copy, by=applicant)
    assert again.pk == copy.pk
    assert screens(copy).count() == 1


# --- each fund on its own -------------------------------------------------------------------------


def test_it_tells_each_fund_of_its_own_copy(cofunded, applicant, manager, other_manager):
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    sent = {(m.recipient_id, m.application_id) for m in OutboxMessage.objects.filter(kind="submitted")}
    assert (other_manager.pk, copy.pk) in sent
    assert (manager.pk, cofunded.pk) in sent
    assert (manager.pk, copy.pk) not in sent and (other_manager.pk, cofunded.pk) not in sent
    # The applicant is told once, about the application they wrote.
    assert {a for r, a in sent if r == applicant.pk} == {cofunded.pk}


def test_each_fund_screens_its_own_copy(client, cofunded, applicant, manager, other_manager):
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    copy_screen = active_task(application=copy, node=ApplicationFlow.screen)
    lead_screen = active_task(application=cofunded, node=ApplicationFlow.screen)
    url = reverse("workflow:task", args=[copy_screen.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 404  # not her fund
    client.force_login(other_manager)
    assert client.get(reverse("workflow:task", args=[lead_screen.pk])).status_code == 404
    assert client.get(url).status_code == 200
    response = client.post(url, {"eligible": "no", "notes": "Hors territoire du fonds."})
    assert response.status_code == 302
    copy.refresh_from_db()
    cofunded.refresh_from_db()
    assert copy.status == Application.Status.INELIGIBLE
    assert cofunded.status == Application.Status.SUBMITTED
    assert active_task(application=cofunded, node=ApplicationFlow.screen) is not None


# --- what the applicant sees ------------------------------------------------------------------------


def _panel(application, *, member: bool, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string("forms/_cofunding_status.html", {"application": application, "is_member": member})


def test_the_applicant_sees_each_funds_decision(cofunded, applicant, other_manager):
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    services.screening_record(
        task=active_task(application=copy, node=ApplicationFlow.screen),
        by=other_manager,
        eligible=False,
        notes="Le fonds ne couvre pas Lanaudière.",
    )
    for shown in (cofunded, copy):
        html = _panel(Application.objects.get(pk=shown.pk), member=True)
        assert "Fonds régions et ruralité" in html and "Appel de projets 2026" in html
        assert "Ineligible" in html and "Submitted" in html
        assert "Le fonds ne couvre pas Lanaudière." in html
        assert reverse("forms:detail", args=[copy.pk]) in html
        assert reverse("forms:detail", args=[cofunded.pk]) in html


def test_it_shows_statuses_but_no_reasons_to_people_outside_the_organisation(cofunded, applicant, other_manager):
    services.application_submit(application=cofunded, by=applicant)
    [copy] = copies_of(cofunded)
    services.screening_record(
        task=active_task(application=copy, node=ApplicationFlow.screen),
        by=other_manager,
        eligible=False,
        notes="Motif.",
    )
    html = _panel(cofunded, member=False)
    assert "Ineligible" in html
    assert "Motif." not in html
    assert reverse("forms:detail", args=[copy.pk]) not in html


def test_it_lists_the_calls_a_draft_will_be_sent_to(cofunded):
    html = _panel(cofunded, member=True, language="fr")
    assert "Fonds régions et ruralité" in html
    assert "10\xa0000\xa0$" in html or "10 000 $" in html


def test_it_shows_nothing_for_an_application_to_one_call(draft):
    assert _panel(draft, member=True).strip() == ""


def test_the_family_lists_the_lead_first(cofunded, third_call, applicant):
    CoFundingRequest.objects.create(application=cofunded, call=third_call, amount=Decimal("6000"))
    services.application_submit(application=cofunded, by=applicant)
    copies = copies_of(cofunded)
    family = cofunding_family(application=copies[1])
    assert family[0] == cofunded
    assert set(family[1:]) == set(copies)
    assert cofunding_family(application=f.make_draft(call=third_call, organisation=cofunded.organisation, by=applicant))
