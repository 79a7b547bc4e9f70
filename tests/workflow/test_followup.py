"""The whole follow-up of a three-year project over HTTP: three reports (one sent back), three tranches,
a target change approved by the fund manager, the final report, the project closed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.models import Task

from forms.models import Application, IndicatorTarget
from reporting.models import PaymentTranche, Report, ReportReview, TargetChange
from tests.reporting.conftest import fund_application
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def project(draft, applicant, manager, reviewer1, reviewer2):
    fund_application(
        application=draft,
        applicant=applicant,
        manager=manager,
        reviewers=[reviewer1, reviewer2],
        amounts=[Decimal("20000"), Decimal("15000"), Decimal("10000")],
        signed_on=date(2026, 4, 1),
    )
    draft.refresh_from_db()
    return draft


def task_url(application, node):
    task = active_task(application=application, node=node)
    assert task is not None, f"no open {node.name} task"
    return reverse("workflow:task", args=[task.pk])


def report_data(application, actual, comment="", **extra):
    indicator = application.indicators.get()
    data = {
        "narrative": "Des familles ont cuisiné ensemble.",
        "sustainability_update": "Un traiteur social démarre.",
        f"actual_{indicator.pk}": actual,
        f"comment_{indicator.pk}": comment,
        "spent_project": "9000",
    }
    data.update(extra)
    return data


def tranches(application):
    return list(PaymentTranche.objects.filter(agreement__application=application).order_by("position"))


def test_it_runs_a_three_year_project_to_its_closing(client, project, applicant, manager):
    indicator = project.indicators.get()
    # Agreement: one tranche per year, the first one released at signature.
    assert [(t.amount, t.after_report_year, t.released_at is not None) for t in tranches(project)] == [
        (Decimal("20000"), None, True),
        (Decimal("15000"), 1, False),
        (Decimal("10000"), 2, False),
    ]
    assert [y.report_due_on for y in project.agreement.years.all()] == [
        date(2027, 4, 1),
        date(2028, 4, 1),
        date(2029, 4, 1),
    ]

    # Year 1: 20 families against a target of 40 is off target, so a comment is required.
    client.force_login(applicant)
    url = task_url(project, ApplicationFlow.report)
    page = client.get(url)
    assert "Autofinancement." in page.content.decode()  # the pérennité update starts from the plan
    response = client.post(url, report_data(project, "20"))
    assert response.status_code == 200
    assert f"comment_{indicator.pk}" in response.context["form"].errors
    attachment = SimpleUploadedFile("bilan.pdf", PDF, content_type="application/octet-stream")
    response = client.post(url, report_data(project, "20", "Démarrage en retard.", attachment=attachment))
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get(agreement__application=project, year=1)
    assert (report.status, report.is_final) == ("submitted", False)
    result = report.results.get()
    assert (result.actual, result.target, result.off_target) == (Decimal("20"), Decimal("40"), True)
    assert report.spending.get().spent == Decimal("9000")
    assert report.attachments.get().content_type == "application/pdf"
    download = client.get(reverse("reporting:attachment", args=[report.attachments.get().pk]))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="bilan.pdf"' in download["Content-Disposition"]

    # The manager sends it back with comments: the report comes back to the applicant, prefilled.
    client.force_login(manager)
    review = task_url(project, ApplicationFlow.review_report)
    response = client.post(review, {"decision": "send_back", "comments": ""})
    assert response.status_code == 200 and response.context["form"].errors["comments"]
    response = client.post(review, {"decision": "send_back", "comments": "Joignez la liste des ateliers."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "sent_back"
    assert tranches(project)[1].released_at is None
    assert OutboxMessage.objects.filter(kind="report_sent_back", recipient=applicant).exists()
    client.force_login(applicant)
    url = task_url(project, ApplicationFlow.report)
    page = client.get(url)
    assert "Joignez la liste des ateliers." in page.content.decode()
    assert page.context["form"].initial[f"comment_{indicator.pk}"] == "Démarrage en retard."
    response = client.post(url, report_data(project, "22", "Démarrage en retard.", narrative="Douze ateliers."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.narrative, report.attachments.count()) == ("submitted", "Douze ateliers.", 1)

    # Approval releases the second tranche.
    client.force_login(manager)
    assert client.post(task_url(project, ApplicationFlow.review_report), {"decision": "approve"}).status_code == 302
    assert [t.released_at is not None for t in tranches(project)] == [True, True, False]
    assert tranches(project)[1].released_with_id == report.pk

    # A target change for year 2: asked with a justification, approved by the fund's manager; history kept.
    client.force_login(applicant)
    response = client.post(
        reverse("reporting:target_change_create", args=[project.pk]),
        {"indicator": indicator.pk, "year": 2, "proposed_value": "30", "justification": "Le local est plus petit."},
    )
    assert response.status_code == 302
    change = TargetChange.objects.get()
    assert (change.previous_value, change.proposed_value, change.status) == (Decimal("40"), Decimal("30"), "pending")
    assert (
        client.post(reverse("reporting:target_change_decide", args=[change.pk]), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(manager)
    response = client.post(reverse("reporting:target_change_decide", args=[change.pk]), {"decision": "approve"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == manager
    assert IndicatorTarget.objects.get(indicator=indicator, year=2).value == Decimal("30")

    # Year 2: 28 against the new target of 30 is within the tolerance (27): no comment needed.
    client.force_login(applicant)
    url = task_url(project, ApplicationFlow.report)
    assert client.get(url).context["form"].initial["sustainability_update"] == "Un traiteur social démarre."
    assert client.post(url, report_data(project, "28")).status_code == 302
    client.force_login(manager)
    assert client.post(task_url(project, ApplicationFlow.review_report), {"decision": "approve"}).status_code == 302
    assert all(t.released_at for t in tranches(project))

    # Year 3 is the final report: results and lessons are required.
    client.force_login(applicant)
    url = task_url(project, ApplicationFlow.report)
    response = client.post(url, report_data(project, "41"))
    assert response.status_code == 200 and "lessons" in response.context["form"].errors
    response = client.post(url, report_data(project, "41", lessons="Le modèle tient sans subvention."))
    assert response.status_code == 302
    final = Report.objects.get(agreement__application=project, year=3)
    assert final.is_final and final.results.get().target == Decimal("40")
    client.force_login(manager)
    assert client.post(task_url(project, ApplicationFlow.review_report), {"decision": "approve"}).status_code == 302

    project.refresh_from_db()
    assert project.status == Application.Status.CLOSED
    assert project.process.status == "DONE"
    assert list(Report.objects.filter(agreement__application=project).values_list("year", "status")) == [
        (1, "approved"),
        (2, "approved"),
        (3, "approved"),
    ]
    # Reports keep the target they were filed against.
    assert list(
        Report.objects.filter(agreement__application=project).order_by("year").values_list("results__target", flat=True)
    ) == [Decimal("40"), Decimal("30"), Decimal("40")]
    assert ReportReview.objects.filter(report__agreement__application=project).count() == 4
    assert not Task.objects.filter(process=project.process, status__in=["NEW", "ASSIGNED", "STARTED"]).exists()

    # The follow-up page tells the whole story.
    page = client.get(reverse("reporting:project", args=[project.pk])).content.decode()
    assert "Le local est plus petit." in page and "Le modèle tient sans subvention." in page
    assert "<svg" in page


def test_it_refuses_an_attachment_whose_bytes_are_not_an_accepted_type(client, project, applicant):
    client.force_login(applicant)
    url = task_url(project, ApplicationFlow.report)
    fake = SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary", content_type="application/pdf")
    response = client.post(url, report_data(project, "40", attachment=fake))
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert "Des familles ont cuisiné ensemble." in response.content.decode()
    assert not Report.objects.exists()


def test_it_refuses_an_attachment_above_the_size_limit(client, project, applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = 20
    client.force_login(applicant)
    big = SimpleUploadedFile("bilan.pdf", PDF, content_type="application/pdf")
    response = client.post(task_url(project, ApplicationFlow.report), report_data(project, "40", attachment=big))
    assert response.status_code == 200 and "attachment" in response.context["form"].errors


def test_it_serves_attachments_to_the_project_viewers_only(client, project, applicant, manager, outsider, funder_user):
    client.force_login(applicant)
    attachment = SimpleUploadedFile("bilan.pdf", PDF)
    client.post(task_url(project, ApplicationFlow.report), report_data(project, "40", attachment=attachment))
    item = Report.objects.get().attachments.get()
    url = reverse("reporting:attachment", args=[item.pk])
    for user in (applicant, manager, funder_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_it_refuses_a_target_change_for_an_approved_year_or_twice(client, project, applicant, manager):
    from reporting.services import report_approve, report_submit
    from reporting.targets import TargetChangeRefused, target_change_request

    indicator = project.indicators.get()
    report_submit(
        task=active_task(application=project, node=ApplicationFlow.report),
        by=applicant,
        narrative="x",
        sustainability_update="",
        results={indicator.pk: (Decimal("40"), "")},
    )
    report_approve(task=active_task(application=project, node=ApplicationFlow.review_report), by=manager)
    with pytest.raises(TargetChangeRefused) as refused:
        target_change_request(indicator=indicator, year=1, proposed_value=Decimal("5"), justification="x", by=applicant)
    assert refused.value.code == "year"
    target_change_request(indicator=indicator, year=3, proposed_value=Decimal("50"), justification="x", by=applicant)
    with pytest.raises(TargetChangeRefused) as refused:
        target_change_request(
            indicator=indicator, year=3, proposed_value=Decimal("55"), justification="y", by=applicant
        )
    assert refused.value.code == "pending"
    client.force_login(applicant)
    response = client.post(
        reverse("reporting:target_change_create", args=[project.pk]),
        {"indicator": indicator.pk, "year": 3, "proposed_value": "60", "justification": "z"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_it_needs_a_comment_to_refuse_a_target_change(client, project, applicant, manager):
    from reporting.targets import target_change_request

    change = target_change_request(
        indicator=project.indicators.get(), year=2, proposed_value=Decimal("20"), justification="x", by=applicant
    )
    client.force_login(manager)
    url = reverse("reporting:target_change_decide", args=[change.pk])
    client.post(url, {"decision": "refuse", "comment": ""})
    change.refresh_from_db()
    assert change.status == "pending"
    client.post(url, {"decision": "refuse", "comment": "La cible reste réaliste."})
    change.refresh_from_db()
    assert change.status == "refused" and not IndicatorTarget.objects.exists()
    assert OutboxMessage.objects.filter(kind="target_change_decided", recipient=applicant).exists()


def test_it_lets_the_manager_set_tranches_and_due_dates(client, draft, applicant, manager, reviewer1, reviewer2):
    from tests.workflow.steps import bring_to

    task = bring_to(
        "agreement", application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2]
    )
    client.force_login(manager)
    url = reverse("workflow:task", args=[task.pk])
    data = {
        "signed_on": "2026-03-01",
        "amount_1": "20000",
        "amount_2": "15000",
        "due_1": "2027-01-31",
        "due_2": "2028-01-31",
        "tranche_1_amount": "30000",
        "tranche_1_planned_on": "2026-03-15",
        "tranche_1_after": "",
        "tranche_2_amount": "4000",
        "tranche_2_planned_on": "2027-03-01",
        "tranche_2_after": "1",
        "tranche_3_amount": "1000",
        "tranche_3_planned_on": "2028-03-01",
        "tranche_3_after": "3",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "tranche_3_after" in response.context["form"].errors
    data["tranche_3_after"] = "2"
    data["tranche_3_amount"] = "2000"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    errors = " ".join(response.context["form"].non_field_errors())
    assert response.status_code == 200 and "they must be equal" in errors, errors
    data["tranche_3_amount"] = "1000"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert [y.report_due_on for y in draft.agreement.years.all()] == [date(2027, 1, 31), date(2028, 1, 31)]
    assert [(t.amount, t.after_report_year) for t in tranches(draft)] == [
        (Decimal("30000"), None),
        (Decimal("4000"), 1),
        (Decimal("1000"), 2),
    ]
