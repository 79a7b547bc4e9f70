"""The demo's call under committee review: conflicts declared, scores in, a ranking to look at."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviewers.demo import TITLE
from reviewers.models import Conflict, ConflictDeclaration, ReviewerAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_loads_a_call_under_committee_review(client):
    from io import StringIO

    call_command("demo", stdout=StringIO())
    from fonds.models import Call

    call = Call.objects.get(title=TITLE)
    assert ConflictDeclaration.objects.filter(call=call).count() == 2
    conflict = Conflict.objects.get(call=call)
    assert not ReviewerAssignment.objects.filter(
        application__call=call, application__organisation=conflict.organisation, reviewer=conflict.member
    ).exists()
    assert ReviewerAssignment.objects.filter(application__call=call, submitted_at__isnull=False).count() >= 4
    client.force_login(call.fund.managers.first())
    response = client.get(reverse("reviewers:ranking", args=[call.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 4
    assert any(row.disagreement for row in rows)
    client.force_login(conflict.member)
    rows = client.get(reverse("reviewers:ranking", args=[call.pk])).context["rows"]
    assert len(rows) == 3
