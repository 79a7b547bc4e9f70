"""`python manage.py demo`: idempotent, real workflow tasks, printed logins that work."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from viewflow.workflow.models import Task

from accounts.models import Invitation, Membership, Organisation, User
from fonds.models import Call, Criterion, Fund, Funder
from forms.models import (
    Application,
    BudgetLine,
    BudgetYear,
    CoFundingRequest,
    Indicator,
    Partner,
    QuestionAnswer,
    WizardState,
)
from reporting.models import Agreement, AgreementYear, IndicatorResult, Report
from reviewers.models import Comment, ReviewerAssignment, Score, SupportRequest
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

pytestmark = pytest.mark.django_db

COUNTED = [
    User, Organisation, Membership, Invitation, Funder, Fund, Call, Criterion, Application, BudgetYear, BudgetLine,
    CoFundingRequest, Partner, Indicator, QuestionAnswer, WizardState, SupportRequest, Comment,
    ReviewerAssignment, Score, Agreement, AgreementYear, Report, IndicatorResult, Task, OutboxMessage,
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The loader hashes twelve passwords per run; the default hasher would make this file slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _printed_logins(output: str) -> list[tuple[str, str, str]]:
    """(e-mail, role, password) of every row of the printed logins table (cells are 2+ spaces apart)."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in output.splitlines()]
    return [(row[0], row[1], row[2]) for row in rows if row[0].endswith("@guichet.demo")]


def test_it_creates_nothing_new_on_a_second_run():
    _demo()
    first = _counts()
    # 7 from the core demo; 4 drafts and a co-funded project with its copy (forms);
    # 4 under committee review (reviewers); 2 funded projects (reporting).
    assert first["Application"] == 19
    assert first["Agreement"] == 3
    _demo()
    assert _counts() == first


def test_it_prints_logins_that_authenticate():
    output = _demo()
    logins = _printed_logins(output)
    assert len(logins) == 12
    roles = {role for _email, role, _password in logins}
    from django.utils.translation import override

    from accounts.roles import ROLES

    with override("fr"):  # management commands speak the default language
        assert roles == {str(label) for label in ROLES.values()}
    assert "http://127.0.0.1:8000" in output
    for email, _role, password in logins:
        assert password == "guichet-demo-2026"
        assert authenticate(email=email, password=password) is not None, email


def test_it_resets_existing_accounts_to_the_printed_password():
    User.objects.create_user("gestionnaire@guichet.demo", "an-old-password")
    output = _demo("--password", "autre-mot-de-passe-2026")
    logins = _printed_logins(output)
    assert {password for _e, _r, password in logins} == {"autre-mot-de-passe-2026"}
    for email, _role, password in logins:
        assert authenticate(email=email, password=password) is not None, email
    assert authenticate(email="gestionnaire@guichet.demo", password="an-old-password") is None
    assert User.objects.filter(email="gestionnaire@guichet.demo").count() == 1


def test_it_refuses_a_blank_password():
    with pytest.raises(CommandError):
        _demo("--password", " ")
    assert not User.objects.filter(email__endswith="@guichet.demo").exists()


def test_it_gives_each_role_what_it_needs():
    _demo()
    admin = User.objects.get(email="admin@guichet.demo")
    assert admin.is_staff and admin.is_superuser and admin.groups.filter(name="administrator").exists()
    manager = User.objects.get(email="gestionnaire@guichet.demo")
    assert set(manager.managed_funds.all()) == set(Fund.objects.all())
    funder = User.objects.get(email="bailleur@guichet.demo")
    assert {f.kind for f in funder.funders.all()} == {"mrc", "foundation"}
    applicant = User.objects.get(email="demandeur@guichet.demo")
    assert applicant.memberships.get().is_admin
    second = User.objects.get(email="demandeur2@guichet.demo")
    assert second.memberships.get().organisation != applicant.memberships.get().organisation
    for call in Call.objects.all():
        assert 2 <= call.committee.count() <= 3
        assert call.criteria.count() == 3
    assert all(len(o.neq) == 10 and o.neq.isdigit() for o in Organisation.objects.all())


def test_it_has_open_closed_and_upcoming_calls():
    from django.utils import timezone

    _demo()
    now = timezone.now()
    calls = list(Call.objects.all())
    assert sum(c.opens_at <= now < c.closes_at for c in calls) >= 2
    assert sum(c.closes_at <= now for c in calls) >= 1
    assert sum(c.opens_at > now for c in calls) >= 1
    for call in calls:
        assert 1 <= call.max_years <= 3
        assert timezone.localtime(call.closes_at).strftime("%H:%M") in {"17:00", "23:59"}


def _by_title(title: str) -> Application:
    return Application.objects.get(title=title)


def test_it_leaves_applications_at_real_workflow_steps():
    _demo()
    step2 = _by_title("Halte-garderie pour parents aux études")
    assert step2.status == "draft" and step2.wizard_step == "budget"
    assert active_task(application=step2, node=ApplicationFlow.draft).owner.email == "demandeur@guichet.demo"

    advised = _by_title("Jardin collectif et frigo partagé")
    assert advised.advisor_comments.count() == 1
    assert active_task(application=advised, node=ApplicationFlow.advise).owner.email == "conseillere@guichet.demo"

    submitted = _by_title("Épicerie solidaire mobile en Matawinie")
    assert submitted.status == "submitted"
    assert active_task(application=submitted, node=ApplicationFlow.screen) is not None

    scoring = _by_title("Transport bénévole vers les soins pour les aînés")
    assert scoring.reviewer_assignments.count() == 2
    assert scoring.reviewer_assignments.filter(submitted_at__isnull=False).count() == 1
    assert active_task(application=scoring, node=ApplicationFlow.score).owner.email == "comite2@guichet.demo"

    waiting = _by_title("Cuisines collectives pour familles nouvellement arrivées")
    assert active_task(application=waiting, node=ApplicationFlow.assign_reviewers) is not None

    funded = _by_title("Répit pour proches aidants de Joliette")
    assert funded.status == "funded"
    assert funded.agreement.years.count() == 2
    report = funded.agreement.reports.get()
    assert report.year == 1 and report.approved_at is not None
    assert report.results.count() == funded.indicators.count()
    assert active_task(application=funded, node=ApplicationFlow.report).owner.email == "demandeur@guichet.demo"

    declined = _by_title("Café-rencontre jeunesse")
    assert declined.status == "declined" and declined.decision_reasons
    assert declined.process.status == "DONE"


def test_it_leaves_an_application_moved_on_since_alone():
    from reviewers.services import advice_return

    _demo()
    advised = _by_title("Jardin collectif et frigo partagé")
    advice_return(application=advised, by=User.objects.get(email="conseillere@guichet.demo"))
    before = _counts()
    _demo()
    assert _counts() == before
    assert active_task(application=advised, node=ApplicationFlow.draft) is not None


def test_it_sends_one_project_to_two_funds_each_deciding_on_its_own():
    from django.template.loader import render_to_string
    from django.utils import translation

    _demo()
    lead = Application.objects.get(title="Ateliers « Bien manger à petit prix » pour les familles", lead=None)
    [copy] = lead.cofunded.all()
    assert lead.created_by.email == "demandeur@guichet.demo"
    assert [(r.call, r.amount) for r in lead.cofunding_requests.all()] == [(copy.call, 20_000)]
    assert lead.call.fund != copy.call.fund
    assert lead.total_requested == 40_000 and copy.total_requested == 20_000
    # The ministry has still to screen its application; the Fondation found its copy eligible.
    assert lead.status == "submitted"
    assert active_task(application=lead, node=ApplicationFlow.screen) is not None
    assert copy.status == "in_review" and copy.eligible
    assert active_task(application=copy, node=ApplicationFlow.screen) is None
    assert active_task(application=copy, node=ApplicationFlow.assign_reviewers) is not None
    with translation.override("en"):
        html = render_to_string("forms/_cofunding_status.html", {"application": lead, "is_member": True})
    assert lead.call.title in html and copy.call.title in html
    assert "Submitted" in html and "Committee review" in html


def test_it_gives_the_demo_organisation_a_colleague_and_a_pending_invitation(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        output = _demo()
    applicant = User.objects.get(email="demandeur@guichet.demo")
    organisation = applicant.memberships.get().organisation
    members = {m.user.email: m.is_admin for m in organisation.memberships.select_related("user")}
    assert members == {"demandeur@guichet.demo": True, "collegue@guichet.demo": False}
    assert "Hugo Landry (Carrefour familial Joliette-Lanaudière)" in output
    joined = organisation.invitations.get(email="collegue@guichet.demo")
    assert joined.accepted_by.email == "collegue@guichet.demo" and joined.invited_by == applicant
    [pending] = [i for i in organisation.invitations.all() if i.is_pending()]
    assert pending.email == "intervenante@guichet.demo"
    assert not User.objects.filter(email=pending.email).exists()
    # Only the pending invitation is e-mailed, and the e-mail stays in the local outbox.
    assert [m.to for m in mailoutbox if "invitations" in m.body] == [["intervenante@guichet.demo"]]


def test_it_leaves_drafts_at_every_wizard_step_with_the_steps_before_saved():
    from forms.services import missing_items
    from forms.steps import step_names

    _demo()
    drafts = list(Application.objects.filter(status="draft", lead=None))
    assert {d.wizard_step for d in drafts} >= {
        "project",
        "budget",
        "partners",
        "sustainability",
        "attachments",
        "summary",
    }
    for draft in drafts:
        steps = step_names(draft)
        assert draft.wizard_step in steps, draft.title
        before = steps[: steps.index(draft.wizard_step)]
        saved = set(draft.saved_steps)
        # Every step before the current one is saved (attachments only once a file is added), none after it.
        assert set(before) - {"attachments"} <= saved <= set(before) | {draft.wizard_step}, draft.title
        assert draft.title and draft.summary
        waiting = active_task(application=draft, node=ApplicationFlow.draft) or active_task(
            application=draft, node=ApplicationFlow.advise
        )
        assert waiting is not None, draft.title
    at = {d.wizard_step: d for d in drafts}
    assert at["attachments"].call.form_settings.attachments_enabled
    assert missing_items(at["summary"]) == []
    assert at["summary"].created_by.email == "collegue@guichet.demo"
    assert missing_items(at["project"]) == ["budget"]


def test_it_speaks_the_default_language_whatever_was_active_before():
    from django.utils import translation

    from accounts.roles import ROLES

    with translation.override("en"):  # as a test's English request leaves its thread
        output = _demo()
    with translation.override("fr"):
        french = {str(label) for label in ROLES.values()}
    assert {role for _email, role, _password in _printed_logins(output)} == french
