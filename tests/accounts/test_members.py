"""Members list and removal: administrators remove members, never the last administrator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.services import LastAdmin, NotAllowed, member_remove
from tests import factories as f


def members_url(organisation):
    return reverse("accounts:members", args=[organisation.pk])


def remove_url(membership):
    return reverse("accounts:member_remove", args=[membership.organisation_id, membership.pk])


def test_it_lists_members_to_members_only(client, applicant, colleague, organisation, outsider, admin_user):
    for user in (applicant, colleague, admin_user):
        client.force_login(user)
        body = client.get(members_url(organisation)).content.decode()
        assert applicant.email in body and colleague.email in body
    client.force_login(outsider)
    assert client.get(members_url(organisation)).status_code == 404


def test_it_shows_the_invite_form_and_remove_buttons_to_administrators_only(client, applicant, colleague, organisation):
    colleague_membership = organisation.memberships.get(user=colleague)
    client.force_login(applicant)
    body = client.get(members_url(organisation)).content.decode()
    assert reverse("accounts:invite", args=[organisation.pk]) in body
    assert remove_url(colleague_membership) in body
    client.force_login(colleague)
    body = client.get(members_url(organisation)).content.decode()
    assert reverse("accounts:invite", args=[organisation.pk]) not in body
    assert remove_url(colleague_membership) not in body


def test_it_lets_an_administrator_remove_a_member(client, applicant, colleague, organisation):
    client.force_login(applicant)
    response = client.post(remove_url(organisation.memberships.get(user=colleague)))
    assert response.status_code == 302
    assert not organisation.memberships.filter(user=colleague).exists()


def test_it_refuses_removal_by_a_plain_member_or_an_outsider(client, applicant, colleague, organisation, outsider):
    admin_membership = organisation.memberships.get(user=applicant)
    client.force_login(colleague)
    assert client.post(remove_url(admin_membership)).status_code == 403
    client.force_login(outsider)
    assert client.post(remove_url(admin_membership)).status_code == 404
    assert organisation.memberships.count() == 2


def test_it_never_removes_the_last_administrator(client, applicant, organisation):
    client.force_login(applicant)
    response = client.post(remove_url(organisation.memberships.get(user=applicant)), follow=True)
    assert organisation.memberships.filter(user=applicant, is_admin=True).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with pytest.raises(LastAdmin):
        member_remove(membership=organisation.memberships.get(user=applicant), by=applicant)


def test_it_lets_an_administrator_leave_when_another_remains(client, applicant, colleague, organisation):
    Membership.objects.filter(user=colleague).update(is_admin=True)
    client.force_login(applicant)
    response = client.post(remove_url(organisation.memberships.get(user=applicant)))
    assert response["Location"] == reverse("accounts:profile")
    assert list(organisation.memberships.values_list("user", flat=True)) == [colleague.pk]


def test_it_refuses_removal_in_the_service(colleague, organisation, applicant):
    with pytest.raises(NotAllowed):
        member_remove(membership=organisation.memberships.get(user=applicant), by=colleague)


def test_it_returns_404_for_a_membership_of_another_organisation(client, applicant, organisation, outsider):
    other = outsider.memberships.get()
    client.force_login(applicant)
    url = reverse("accounts:member_remove", args=[organisation.pk, other.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405


def test_it_does_not_grow_queries_with_members(client, applicant, organisation):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(members_url(organisation)).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(applicant)
    for i in range(2):
        Membership.objects.create(
            user=f.make_user(email=f"m{i}@x.example", role="applicant"), organisation=organisation
        )
    two = count()
    for i in range(2, 10):
        Membership.objects.create(
            user=f.make_user(email=f"m{i}@x.example", role="applicant"), organisation=organisation
        )
    assert count() == two
