"""Gaps found in the audit of issue 4: the advisor dashboard's order, and conflict isolation on the
remaining reviewer-facing URLs (the application's PDF copy, its attachments and the decision sheet)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from forms.models import Application, Attachment
from forms.services import call_form_configure
from reviewers import services as review
from reviewers import services as reviewer_services
from reviewers.models import CommitteeSettings
from tests import factories as f
from tests.workflow.steps import bring_to

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def retitle(application, title):
    Application.objects.filter(pk=application.pk).update(title=title)
    application.refresh_from_db()
    return application


# --- the advisor's dashboard ------------------------------------------------------------------


def test_the_advisor_home_lists_drafts_by_nearest_deadline(client, fund, organisation, applicant, advisor):
    now = timezone.now()
    late_call = f.make_call(fund=fund, title="Appel tardif", closes_at=now + timedelta(days=60))
    soon_call = f.make_call(fund=fund, title="Appel pressé", closes_at=now + timedelta(days=5))
    # The later-closing call's draft is asked for first: creation order must not win over the deadline.
    late = retitle(f.make_draft(call=late_call, organisation=organisation, by=applicant), "Projet au long cours")
    reviewer_services.support_request(application=late, by=applicant)
    soon = retitle(f.make_draft(call=soon_call, organisation=organisation, by=applicant), "Projet urgent")
    reviewer_services.support_request(application=soon, by=applicant)

    client.force_login(advisor)
    response = client.get(reverse("reviewers:advisor_home"))
    assert response.status_code == 200
    assert [s.application_id for s in response.context["support_requests"]] == [soon.pk, late.pk]
    body = response.content.decode()
    assert "Projet urgent" in body and "Projet au long cours" in body
    assert body.index("Projet urgent") < body.index("Projet au long cours")


# --- conflict isolation on the application's PDF copy, attachments and the decision sheet -------


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


@pytest.fixture
def conflicted(client, call, organisation, applicant, manager, reviewer1, reviewer2, reviewer3, chair, outsider):
    """A decided application with an attachment; reviewer3 and the chair are conflicted with its organisation."""
    call_form_configure(call=call, attachments_enabled=True, max_attachments=2)
    hidden = retitle(f.make_draft(call=call, organisation=organisation, by=applicant), "Projet secret")
    visible = retitle(f.make_draft(call=call, organisation=outsider.organisations.get(), by=outsider), "Projet visible")
    client.force_login(applicant)
    upload = SimpleUploadedFile("Lettre d'appui.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("forms:attachment_upload", args=[hidden.pk]), {"file": upload, "description": "Lettre"}, follow=True
    )
    client.logout()
    attachment = Attachment.objects.get(application=hidden)
    for member in (reviewer1, reviewer2):
        review.conflicts_declare(call=call, member=member, conflicts=[])
    for member in (reviewer3, chair):
        review.conflicts_declare(call=call, member=member, conflicts=[(organisation, "Conjoint au CA")])
    bring_to("agreement", application=hidden, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2])
    bring_to("agreement", application=visible, applicant=outsider, manager=manager, reviewers=[reviewer2, reviewer3])
    hidden.refresh_from_db()
    visible.refresh_from_db()
    assert hidden.decided_at is not None and visible.decided_at is not None
    return hidden, visible, attachment


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_copy_and_attachments_are_served_to_a_reviewer_without_conflict(client, conflicted, reviewer1):
    hidden, _visible, attachment = conflicted
    client.force_login(reviewer1)
    assert client.get(reverse("forms:pdf", args=[hidden.pk])).status_code == 200
    download = client.get(reverse("forms:attachment", args=[hidden.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("who", ["reviewer3", "chair"])
def test_a_conflicted_member_gets_neither_the_pdf_copy_nor_the_attachments(client, conflicted, request, who):
    hidden, _visible, attachment = conflicted
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("forms:pdf", args=[hidden.pk]),
        reverse("forms:attachment", args=[hidden.pk, attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Projet secret" not in content and PDF not in content


def test_the_decision_sheet_leaves_out_the_chairs_conflicts(client, conflicted, chair, manager, call):
    url = reverse("reviewers:decision_sheet", args=[call.pk])
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Projet secret" in text and "Projet visible" in text  # the extraction does find titles

    client.force_login(chair)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Projet visible" in text
    assert "Projet secret" not in text and "Carrefour familial" not in text


def test_a_conflicted_member_who_is_not_chair_gets_no_decision_sheet(client, conflicted, reviewer3, call):
    client.force_login(reviewer3)
    response = client.get(reverse("reviewers:decision_sheet", args=[call.pk]))
    assert response.status_code != 200
    assert b"Projet secret" not in response.content
