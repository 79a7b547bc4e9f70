"""Attachments: checked by their bytes and size, stored privately, downloaded through a checked view."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms.filetypes import sniff
from forms.models import Attachment
from forms.services import call_form_configure
from workflow import services as workflow_services

from .conftest import step_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")  # what the browser says is ignored


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("a.pdf", PDF, "pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("a.docx", office("docx"), "docx"),
        ("a.xlsx", office("xlsx"), "xlsx"),
        ("a.odt", office("odt"), "odt"),
        ("a.txt", "Lettre d'appui — été 2026".encode(), "txt"),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 20, None),
        ("image.pdf", b"GIF89a" + b"\x00" * 20, None),
        ("archive.docx", b"PK\x03\x04garbage", None),
        ("latin1.txt", "été".encode("latin-1"), None),
        ("vide.pdf", b"", None),
    ],
)
def test_it_knows_a_file_by_its_bytes(name, content, kind):
    assert sniff(upload(name, content)).kind == kind


@pytest.fixture
def with_attachments(draft):
    call_form_configure(call=draft.call, attachments_enabled=True, max_attachments=2)
    return draft


def post_file(client, application, name, content, **extra):
    url = reverse("forms:attachment_upload", args=[application.pk])
    return client.post(url, {"file": upload(name, content), "description": "Lettre"}, follow=True, **extra)


def test_it_shows_the_attachments_step_only_when_the_call_asks_for_it(client, draft, applicant):
    client.force_login(applicant)
    assert client.get(step_url(draft, "attachments")).status_code == 404
    call_form_configure(call=draft.call, attachments_enabled=True, attachments_help="Vos lettres d'appui.")
    response = client.get(step_url(draft, "attachments"))
    assert response.status_code == 200 and "Vos lettres d&#x27;appui." in response.text
    assert [link["name"] for link in response.context["step_links"]][-2:] == ["attachments", "summary"]


def test_it_stores_an_accepted_file_privately_and_serves_it_to_who_may_see(
    client, with_attachments, applicant, manager, outsider, settings
):
    client.force_login(applicant)
    response = post_file(client, with_attachments, "Lettre d'appui.pdf", PDF)
    assert response.redirect_chain[-1][0] == step_url(with_attachments, "attachments")
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.kind, attachment.size, attachment.uploaded_by) == (
        "Lettre d'appui.pdf",
        "pdf",
        len(PDF),
        applicant,
    )
    assert attachment.file.name.startswith(f"private/applications/{with_attachments.pk}/")
    assert "appui" not in attachment.file.name
    url = reverse("forms:attachment", args=[with_attachments.pk, attachment.pk])
    assert url in response.content.decode()

    for who in (applicant, manager):
        client.force_login(who)
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert b"".join(download.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    other_url = reverse("forms:attachment", args=[with_attachments.pk + 1000, attachment.pk])
    client.force_login(applicant)
    assert client.get(other_url).status_code == 404


@pytest.mark.parametrize(
    "language,expected", [("en", "This file is a Windows program, but only these are accepted: PDF document")]
)
def test_it_says_what_the_file_is_and_what_is_accepted(client, with_attachments, applicant, language, expected):
    client.force_login(applicant)
    response = post_file(client, with_attachments, "facture.pdf", b"MZ\x90\x00rest", HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_states_the_size_and_the_limit(client, with_attachments, applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    client.force_login(applicant)
    big = PDF + b"0" * int(12.3 * 1024 * 1024)
    response = post_file(client, with_attachments, "gros.pdf", big, HTTP_ACCEPT_LANGUAGE="en")
    assert "The file is 12.3 MB; the limit is 10 MB." in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_limits_the_number_of_files_and_removes_them(
    client, with_attachments, applicant, colleague, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    post_file(client, with_attachments, "1.pdf", PDF)
    post_file(client, with_attachments, "2.pdf", PDF)
    response = post_file(client, with_attachments, "3.pdf", PDF, HTTP_ACCEPT_LANGUAGE="en")
    assert "This call accepts at most 2 attachments." in response.content.decode()
    assert Attachment.objects.count() == 2
    first = Attachment.objects.first()
    storage, name = first.file.storage, first.file.name
    assert storage.exists(name)
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forms:attachment_delete", args=[with_attachments.pk, first.pk]))
    assert not Attachment.objects.filter(pk=first.pk).exists()
    assert not storage.exists(name)


def test_it_refuses_files_once_submitted_or_to_non_members(client, with_attachments, applicant, outsider, manager):
    client.force_login(outsider)
    assert post_file(client, with_attachments, "x.pdf", PDF).status_code == 404
    client.force_login(manager)
    assert post_file(client, with_attachments, "x.pdf", PDF).status_code == 403
    workflow_services.application_submit(application=with_attachments, by=applicant)
    client.force_login(applicant)
    post_file(client, with_attachments, "x.pdf", PDF)
    assert not Attachment.objects.exists()


def test_it_refuses_get_on_upload_and_delete(client, with_attachments, applicant):
    client.force_login(applicant)
    assert client.get(reverse("forms:attachment_upload", args=[with_attachments.pk])).status_code == 405
    assert client.get(reverse("forms:attachment_delete", args=[with_attachments.pk, 1])).status_code == 405


@pytest.mark.parametrize(
    "name,kind,saved_as",
    [
        ("Lettre d'appui.pdf", "pdf", "Lettre d'appui.pdf"),
        ("photo.JPEG", "jpeg", "photo.JPEG"),
        ("photo.png", "jpeg", "photo.jpg"),
        ("lettre.pdf", "txt", "lettre.txt"),
        ("outil.bat", "txt", "outil.txt"),
        ("page.hta", "txt", "page.txt"),
        ("sans extension", "docx", "sans extension.docx"),
        ("..\\..\\dossier\\budget.xlsx", "xlsx", "budget.xlsx"),
        (".pdf", "pdf", "document.pdf"),
    ],
)
def test_it_names_a_download_after_what_its_bytes_are(name, kind, saved_as):
    from forms.filetypes import download_name

    assert download_name(name, kind) == saved_as


def test_it_serves_text_named_like_a_pdf_as_a_text_file(client, with_attachments, applicant):
    client.force_login(applicant)
    post_file(client, with_attachments, "lettre.pdf", b"<html><script>alert(1)</script></html>")
    attachment = Attachment.objects.get()
    assert attachment.kind == "txt"
    download = client.get(reverse("forms:attachment", args=[with_attachments.pk, attachment.pk]))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="lettre.txt"' in download["Content-Disposition"]
