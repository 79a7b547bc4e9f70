import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User

PASSWORD = "a-long-unusual-passphrase-42"


def test_it_adds_a_user_with_email_and_password(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "language": "en",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password(PASSWORD)
    assert user.language == "en"


def test_it_refuses_mismatched_passwords_and_duplicate_emails(client, admin_user, applicant):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_add")
    response = client.post(
        url, {"email": "x@example.org", "language": "fr", "password1": PASSWORD, "password2": "other"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("password2")
    response = client.post(
        url, {"email": applicant.email.upper(), "language": "fr", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("email")
    assert not User.objects.filter(email="x@example.org").exists()


def test_it_edits_a_user_without_a_username(client, admin_user, applicant):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[applicant.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "username" not in form.fields
    assert {"email", "full_name", "language"} <= set(form.fields)


@pytest.fixture
def everything(draft, outsider, other_manager, advisor, funder_user):
    """One of most objects, so every change list renders real rows."""
    return draft


def test_it_renders_every_change_list_and_change_page(client, admin_user, everything):
    client.force_login(admin_user)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        obj = model_admin.get_queryset(response.wsgi_request).first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url
        search = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "a"})
        assert search.status_code == 200, url


def test_it_keeps_workflow_records_read_only(client, admin_user, draft):
    client.force_login(admin_user)
    assert client.get(reverse("admin:forms_application_add")).status_code == 403
    response = client.post(
        reverse("admin:forms_application_change", args=[draft.pk]), {"title": "Changed", "status": "approved"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_keeps_everyone_but_staff_out(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302


def test_it_sends_unsent_outbox_messages_from_the_admin(client, admin_user, draft, applicant, mailoutbox):
    from workflow.models import OutboxMessage

    message = OutboxMessage.objects.create(kind="submitted", recipient=applicant, application=draft)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:workflow_outboxmessage_changelist"),
        {"action": "send_now", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.sent_at is not None
    assert [m.to for m in mailoutbox] == [[applicant.email]]
