"""`manage.py demo` gains funded projects at several stages, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from forms.models import Application
from reporting.models import Agreement, PaymentTranche, Report
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts():
    return [m.objects.count() for m in (Application, Agreement, Report, PaymentTranche)]


def test_it_adds_projects_in_their_first_year_in_their_second_year_and_closed():
    call_command("demo", stdout=StringIO())
    first = Application.objects.get(title="Paniers solidaires des villages de Matawinie")
    assert first.status == "funded" and not first.agreement.reports.exists()
    assert active_task(application=first, node=ApplicationFlow.report) is not None
    second = Application.objects.get(title="Répit pour proches aidants de Joliette")
    assert second.agreement.reports.get().status == "approved"
    closed = Application.objects.get(title="Popote roulante de la Petite-Nation")
    assert closed.status == "closed" and closed.agreement.reports.filter(status="approved").count() == 2
    assert not closed.agreement.tranches.filter(released_at__isnull=True).exists()
    assert closed.organisation.share_projects
    before = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == before
