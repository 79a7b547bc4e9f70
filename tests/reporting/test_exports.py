import io
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config import celery_app
from reporting.models import AccountabilityExport
from reporting.services import export_request
from reporting.tasks import render_export, resume_pending_exports

PENDING, READY, FAILED = (
    AccountabilityExport.Status.PENDING,
    AccountabilityExport.Status.READY,
    AccountabilityExport.Status.FAILED,
)


def pdf_text(data: bytes) -> str:
    """The PDF's text with every kind of space (no-break, narrow no-break...) turned into one plain space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def download(client, export) -> bytes:
    response = client.get(reverse("reporting:export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def fund(funded):
    return funded.call.fund


def create_url(fund):
    return reverse("reporting:export_create", args=[fund.pk])


# --- requesting an export ----------------------------------------------------------------------------------------


def test_it_creates_one_export_and_renders_it_after_commit(
    client, funder_user, fund, django_capture_on_commit_callbacks
):
    client.force_login(funder_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(create_url(fund))
    export = AccountabilityExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:export", args=[export.pk])
    assert len(callbacks) == 1
    assert (export.status, export.language, export.requested_by) == (READY, "fr", funder_user)
    assert export.finished_at is not None and export.file.name.endswith(".pdf")


def test_it_reuses_the_pending_export_of_the_same_fund_and_language(client, funder_user, fund):
    client.force_login(funder_user)
    # Without running on_commit callbacks the first export stays pending.
    first = client.post(create_url(fund))
    second = client.post(create_url(fund))
    export = AccountabilityExport.objects.get()
    assert first.url == second.url == reverse("reporting:export", args=[export.pk])
    assert export.status == PENDING
    client.post(create_url(fund), HTTP_ACCEPT_LANGUAGE="en")
    assert sorted(AccountabilityExport.objects.values_list("language", flat=True)) == ["en", "fr"]


def test_it_reuses_a_ready_export_while_its_data_is_unchanged(funder_user, fund, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = export_request(fund=fund, by=funder_user, language="fr-ca")
    first.refresh_from_db()
    assert first.status == READY and first.language == "fr"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = export_request(fund=fund, by=funder_user, language="fr")
    assert again.pk == first.pk and callbacks == []
    assert AccountabilityExport.objects.count() == 1


def test_it_renders_the_same_export_again_once_the_data_changed(
    funder_user, manager, fund, funded, django_capture_on_commit_callbacks
):
    from reporting.services import report_approve
    from workflow.engine import active_task
    from workflow.flows import ApplicationFlow

    with django_capture_on_commit_callbacks(execute=True):
        first = export_request(fund=fund, by=funder_user, language="fr")
    report_approve(task=active_task(application=funded, node=ApplicationFlow.review_report), by=manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = export_request(fund=fund, by=funder_user, language="fr")
    assert again.pk == first.pk and len(callbacks) == 1
    again.refresh_from_db()
    assert again.status == READY and again.progress == 100
    assert AccountabilityExport.objects.count() == 1


def test_it_lets_the_fund_manager_request_an_export(client, manager, fund):
    client.force_login(manager)
    assert client.post(create_url(fund)).status_code == 302
    assert AccountabilityExport.objects.filter(fund=fund, requested_by=manager).exists()


@pytest.mark.parametrize(
    "who", ["other_funder_user", "other_manager", "applicant", "outsider", "advisor", "reviewer1", "admin_user"]
)
def test_it_hides_the_fund_from_others(client, request, fund, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(create_url(fund)).status_code == 404
    assert not AccountabilityExport.objects.exists()


def test_it_answers_404_for_an_unknown_fund(client, funder_user, db):
    client.force_login(funder_user)
    assert client.post(reverse("reporting:export_create", args=[999999])).status_code == 404


def test_it_refuses_get_and_anonymous_requests(client, funder_user, fund):
    response = client.post(create_url(fund))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    client.force_login(funder_user)
    assert client.get(create_url(fund)).status_code == 405
    assert not AccountabilityExport.objects.exists()


@contextmanager
def unreachable_broker():
    """Celery really publishing, to a Redis nobody listens on; the app's connection pools are set back after."""
    conf, amqp = celery_app.conf, celery_app.amqp
    saved = conf.task_always_eager, conf.broker_url, celery_app._pool, amqp._producer_pool
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:1/0"
    celery_app._pool = amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, celery_app._pool, amqp._producer_pool = saved


def test_it_keeps_the_export_pending_when_the_broker_is_down(
    funder_user, fund, django_capture_on_commit_callbacks, caplog
):
    with unreachable_broker():
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            export = export_request(fund=fund, by=funder_user, language="fr")
        elapsed = time.monotonic() - started
    assert len(callbacks) == 1
    assert "could not queue accountability export" in caplog.text and "127.0.0.1:1" in caplog.text
    export.refresh_from_db()
    assert export.status == PENDING
    assert elapsed < 10
    # The broker is back: the beat task queues what is older than a minute.
    assert resume_pending_exports() == 0
    AccountabilityExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert resume_pending_exports() == 1
    export.refresh_from_db()
    assert export.status == READY


# --- the PDF -------------------------------------------------------------------------------------------------------


def test_it_renders_the_funded_projects_in_french(
    client, funder_user, fund, funded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(fund=fund, by=funder_user, language="fr")
    client.force_login(funder_user)
    text = pdf_text(download(client, export))
    assert funded.title in text
    assert "35 000 $" in text
    assert "20 000 $" in text and "15 000 $" in text
    assert funded.organisation.name in text and funded.organisation.mrc.name in text
    assert fund.name in text and fund.funder.name in text
    assert "Familles rejointes" in text and "40" in text and "27" in text


def test_it_renders_amounts_the_english_way(client, funder_user, fund, funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(fund=fund, by=funder_user, language="en")
    client.force_login(funder_user)
    text = pdf_text(download(client, export))
    assert "$35,000" in text and "Accountability report" in text


def test_it_records_a_failed_render_and_offers_a_retry(client, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user, language="en")
    with mock.patch("reporting.pdf.render_accountability_pdf", side_effect=RuntimeError("pango exploded")):
        assert render_export(export.pk) == FAILED
    export.refresh_from_db()
    assert export.status == FAILED and "pango exploded" in export.error and export.finished_at
    client.force_login(funder_user)
    page = client.get(reverse("reporting:export", args=[export.pk])).content.decode()
    assert create_url(fund) in page and 'name="language" value="en"' in page
    client.post(create_url(fund), {"language": "en"})
    assert AccountabilityExport.objects.filter(status=PENDING, language="en").count() == 1


def test_it_renders_an_export_only_once(funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user)
    assert render_export(export.pk) == READY
    with mock.patch("reporting.pdf.render_accountability_pdf") as render:
        assert render_export(export.pk) is None
    render.assert_not_called()


# --- status page and download ---------------------------------------------------------------------------------------


def test_it_shows_a_pending_export_as_being_prepared(client, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user)
    client.force_login(funder_user)
    response = client.get(reverse("reporting:export", args=[export.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in page and "Being prepared…" in page
    assert 'hx-trigger="every 2s"' in page
    assert reverse("reporting:export_download", args=[export.pk]) not in page
    # htmx polling: nothing to swap while pending, the fragment once ready.
    polled = client.get(reverse("reporting:export", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert polled.status_code == 204
    render_export(export.pk)
    polled = client.get(reverse("reporting:export", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200
    assert reverse("reporting:export_download", args=[export.pk]) in polled.content.decode()
    assert "hx-trigger" not in polled.content.decode()


def test_it_serves_the_pdf_with_a_french_file_name(client, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user, language="fr")
    render_export(export.pk)
    client.force_login(funder_user)
    response = client.get(reverse("reporting:export_download", args=[export.pk]))
    day = timezone.localdate(export.created_at).isoformat()
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="reddition-de-comptes-fonds-de-developpement-des-territoires-{day}.pdf"'
        in response["Content-Disposition"]
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_it_serves_the_pdf_with_an_english_file_name_to_the_fund_manager(client, manager, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user, language="en")
    render_export(export.pk)
    client.force_login(manager)
    response = client.get(reverse("reporting:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert 'filename="accountability-fonds-de-developpement-des-territoires-' in response["Content-Disposition"]


def test_it_sends_a_pending_download_back_to_the_status_page(client, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user)
    client.force_login(funder_user)
    response = client.get(reverse("reporting:export_download", args=[export.pk]))
    assert response.status_code == 302 and response.url == reverse("reporting:export", args=[export.pk])


@pytest.mark.parametrize(
    "who", ["other_funder_user", "other_manager", "applicant", "outsider", "advisor", "reviewer1", "admin_user"]
)
def test_it_hides_exports_from_others(client, request, funder_user, fund, who):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user)
    render_export(export.pk)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reporting:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("reporting:export_download", args=[export.pk])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, funder_user, fund):
    export = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user)
    for name in ("reporting:export", "reporting:export_download"):
        response = client.get(reverse(name, args=[export.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_it_answers_404_for_an_unknown_export(client, funder_user, db):
    client.force_login(funder_user)
    assert client.get(reverse("reporting:export", args=[424242])).status_code == 404
    assert client.get(reverse("reporting:export_download", args=[424242])).status_code == 404
