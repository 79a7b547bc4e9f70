"""`python manage.py demo`: idempotent, real workflow tasks, printed logins that work."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from viewflow.workflow.models import Task

from accounts.models import Membership, Organisation, User
from fonds.models import Call, Criterion, Fund, Funder
from forms.models import Application, BudgetYear, Indicator, Partner, WizardState
from reporting.models import Agreement, AgreementYear, IndicatorResult, Report
from reviewers.models import Comment, ReviewerAssignment, Score, SupportRequest
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

pytestmark = pytest.mark.django_db

COUNTED = [
    User, Organisation, Membership, Funder, Fund, Call, Criterion, Application, BudgetYear, Partner, Indicator,
    WizardState, SupportRequest, Comment, ReviewerAssignment, Score, Agreement, AgreementYear, Report,
    IndicatorResult, Task, OutboxMessage,
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The loader hashes eleven passwords per run; the default hasher would make this file slow.
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
    # 7 from the core demo, 4 under committee review (reviewers), 2 funded projects (reporting).
    assert first["Application"] == 13
    assert first["Agreement"] == 3
    _demo()
    assert _counts() == first


def test_it_prints_logins_that_authenticate():
    output = _demo()
    logins = _printed_logins(output)
    assert len(logins) == 11
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
