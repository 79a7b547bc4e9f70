"""The whole flow over HTTP with the test client, one user per role, from the call page to the funder's PDF."""

import io
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from forms.models import Application
from reporting.models import AccountabilityExport
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .forms.conftest import formset, post_step


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _task_url(application, node, owner=None) -> str:
    task = active_task(application=application, node=node, owner=owner)
    assert task is not None, f"no open {node.name} task"
    return reverse("workflow:task", args=[task.pk])


def _ok(response, to: str | None = None):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200 and response.context and response.context.get("form") is not None:
        form = response.context["form"]
        assert not getattr(form, "errors", None), form.errors
    if to is not None:
        assert response.status_code == 302 and response["Location"].startswith(to), response.get("Location")
    return response


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_it_walks_the_whole_flow_over_http(
    db,
    call,
    fund,
    organisation,
    applicant,
    advisor,
    reviewer1,
    reviewer2,
    manager,
    funder_user,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    anonymous = Client()
    alice, adele, rene, rita, manon, fanny = map(
        _client, (applicant, advisor, reviewer1, reviewer2, manager, funder_user)
    )

    # Call page, public; the applicant starts an application from it.
    page = anonymous.get(call.get_absolute_url())
    assert page.status_code == 200 and call.title in page.text
    assert "Innovation" in page.text and "Concertation" in page.text
    response = _ok(alice.post(reverse("forms:create", args=[call.pk])))
    application = Application.objects.get(organisation=organisation, call=call)
    assert response["Location"].startswith(reverse("forms:wizard", args=[application.pk]))

    # The wizard, step by step; every step lands in the database.
    _ok(
        post_step(
            alice,
            application,
            "project",
            {
                "project-title": "Cuisine collective de Joliette",
                "project-summary": "Des repas partagés pour les familles.",
                "project-concerted": "on",
            },
        )
    )
    _ok(post_step(alice, application, "budget", {"budget-year_1": "20 000", "budget-year_2": "15000"}))
    _ok(
        post_step(
            alice,
            application,
            "partners",
            {
                **formset("partners-partners", [{"name": "CISSS de Lanaudière", "role": "Réfère des familles"}]),
                **formset(
                    "partners-indicators",
                    [{"name": "Familles rejointes", "unit": "familles", "baseline": "0", "target": "40"}],
                ),
            },
        )
    )
    _ok(
        post_step(
            alice,
            application,
            "sustainability",
            {"sustainability-sustainability_plan": "Autofinancement par un traiteur."},
        )
    )
    application.refresh_from_db()
    assert application.title == "Cuisine collective de Joliette"
    assert application.total_requested == Decimal("35000")

    # The applicant asks for help; the advisor comments a section; the applicant sees it.
    with django_capture_on_commit_callbacks(execute=True):
        _ok(alice.post(reverse("forms:support", args=[application.pk]), {"message": "Le budget est-il clair?"}))
    with django_capture_on_commit_callbacks(execute=True):
        _ok(
            adele.post(
                reverse("reviewers:comment", args=[application.pk]),
                {"section": "budget", "body": "Détaillez la part des partenaires."},
            )
        )
    _ok(adele.post(reverse("reviewers:return", args=[application.pk])))
    assert "Détaillez la part des partenaires." in alice.get(application.get_absolute_url()).text

    # Submit, once.
    with django_capture_on_commit_callbacks(execute=True):
        _ok(alice.post(reverse("forms:submit", args=[application.pk])))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert any(
        "Cuisine collective de Joliette" in m.subject or "Cuisine collective de Joliette" in m.body for m in mailoutbox
    )

    # Screening, reviewers, two scores, decision.
    _ok(manon.post(_task_url(application, ApplicationFlow.screen), {"eligible": "yes", "notes": ""}))
    _ok(
        manon.post(
            _task_url(application, ApplicationFlow.assign_reviewers), {"reviewers": [reviewer1.pk, reviewer2.pk]}
        )
    )
    criteria = list(call.criteria.all())
    for client in (rene, rita):  # conflicts of interest are declared before any application is seen
        _ok(client.post(reverse("reviewers:declare", args=[call.pk]), {"none": "on"}))
    for client, reviewer, value in ((rene, reviewer1, "4"), (rita, reviewer2, "3")):
        data = {f"score_{c.pk}": value for c in criteria} | {f"comment_{c.pk}": "Bien appuyé." for c in criteria}
        _ok(client.post(_task_url(application, ApplicationFlow.score, owner=reviewer), data))
    ranking = manon.get(reverse("reviewers:ranking", args=[call.pk]))
    assert ranking.status_code == 200 and "Cuisine collective de Joliette" in ranking.text
    with django_capture_on_commit_callbacks(execute=True):
        _ok(
            manon.post(
                _task_url(application, ApplicationFlow.decide),
                {"decision": "approved", "reasons": "Projet concerté et durable."},
            )
        )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # Agreement, year-1 report, report approval.
    _ok(
        manon.post(
            _task_url(application, ApplicationFlow.agreement),
            {
                "amount_1": "20000",
                "amount_2": "12500",
                "signed_on": "2026-12-01",
                "conditions": "Rapport annuel.",
            },
        )
    )
    application.refresh_from_db()
    assert application.agreement.total == Decimal("32500")
    indicator = application.indicators.get()
    _ok(
        alice.post(
            _task_url(application, ApplicationFlow.report),
            {
                "narrative": "38 familles ont cuisiné ensemble.",
                "sustainability_update": "Le traiteur démarre.",
                f"actual_{indicator.pk}": "38",
                f"comment_{indicator.pk}": "Presque la cible.",
            },
        )
    )
    _ok(manon.post(_task_url(application, ApplicationFlow.review_report), {}))
    assert application.agreement.reports.get(year=1).approved_at is not None

    # The funder asks for the fund's accountability PDF; the Celery task renders it.
    with django_capture_on_commit_callbacks(execute=True):
        _ok(fanny.post(reverse("reporting:export_create", args=[fund.pk])))
    export = AccountabilityExport.objects.get(fund=fund)
    assert export.status == AccountabilityExport.Status.READY
    status_page = fanny.get(reverse("reporting:export", args=[export.pk]))
    assert reverse("reporting:export_download", args=[export.pk]) in status_page.text
    download = fanny.get(reverse("reporting:export_download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(download.streaming_content))
    assert "Cuisine collective de Joliette" in text
    assert "32 500 $" in text
