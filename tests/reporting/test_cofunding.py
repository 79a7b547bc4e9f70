"""A co-funded project reports once: the report filed on one agreement serves the other funds of the group."""

from datetime import date
from decimal import Decimal

import pytest

from forms.models import Application
from reporting.models import Report
from reporting.services import ReportContent, report_approve, report_file
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .conftest import fund_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(db):
    return f.make_user(email="sam@fondation.example", role="fund_manager", full_name="Sam Second")


@pytest.fixture
def group(draft, applicant, manager, second_manager, reviewer1, reviewer2, organisation):
    """The lead application (fund 1) and its co-funded copy (fund 2, linked by `lead`), both funded for 2 years."""
    fund2 = f.make_fund(managers=[second_manager], name="Fonds de la fondation")
    call2 = f.make_call(fund=fund2, committee=[reviewer1, reviewer2], title="Appel de la fondation")
    copy = f.make_draft(call=call2, organisation=organisation, by=applicant)
    Application.objects.filter(pk=copy.pk).update(lead=draft)  # the co-funding submission sets it in the product
    copy.refresh_from_db()
    amounts = [Decimal("20000"), Decimal("15000")]
    fund_application(application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2],
                     amounts=amounts, signed_on=date(2026, 4, 1))  # fmt: skip
    fund_application(application=copy, applicant=applicant, manager=second_manager, reviewers=[reviewer1, reviewer2],
                     amounts=[Decimal("10000"), Decimal("5000")], signed_on=date(2026, 5, 1))  # fmt: skip
    return draft, copy


def _content(application, actual="42"):
    indicator = application.indicators.get()
    return ReportContent(
        narrative="Une année commune.",
        sustainability_update="Un partenaire de plus.",
        results={indicator.pk: (Decimal(actual), "")},
        spending={"project": Decimal("18000")},
    )


def test_it_files_the_copy_report_when_the_lead_reports(group, applicant, manager, second_manager):
    lead, copy = group
    report_file(task=active_task(application=lead, node=ApplicationFlow.report), by=applicant, content=_content(lead))
    assert active_task(application=copy, node=ApplicationFlow.report) is None
    mirrored = Report.objects.get(agreement__application=copy, year=1)
    original = Report.objects.get(agreement__application=lead, year=1)
    assert mirrored.source == original
    assert mirrored.narrative == "Une année commune."
    assert mirrored.results.get().indicator.application == copy
    assert mirrored.results.get().actual == Decimal("42")
    assert mirrored.spending.get().planned == Decimal("10000")  # the copy's own plan
    # Each fund reviews its own copy, and releases its own tranches.
    review = active_task(application=copy, node=ApplicationFlow.review_report)
    assert review is not None
    report_approve(task=review, by=second_manager)
    mirrored.refresh_from_db()
    original.refresh_from_db()
    assert (mirrored.status, original.status) == ("approved", "submitted")
    assert copy.agreement.tranches.filter(released_at__isnull=False).count() == 2
    assert lead.agreement.tranches.filter(released_at__isnull=False).count() == 1


def test_it_files_the_lead_report_when_the_copy_reports(group, applicant):
    lead, copy = group
    report_file(task=active_task(application=copy, node=ApplicationFlow.report), by=applicant, content=_content(copy))
    assert Report.objects.get(agreement__application=lead, year=1).source.agreement.application == copy


def test_a_report_sent_back_by_one_fund_is_filed_again_there_only(group, applicant, manager, second_manager):
    from reporting.services import report_review

    lead, copy = group
    report_file(task=active_task(application=lead, node=ApplicationFlow.report), by=applicant, content=_content(lead))
    report_review(
        task=active_task(application=copy, node=ApplicationFlow.review_report),
        by=second_manager,
        approve=False,
        comments="Précisez les dépenses.",
    )
    report_approve(task=active_task(application=lead, node=ApplicationFlow.review_report), by=manager)
    # The copy's report task is open again for year 1, prefilled from what was sent; the lead moved on to year 2.
    from reporting.followup import current_year, report_prefill

    assert current_year(copy.agreement) == 1 and current_year(lead.agreement) == 2
    assert report_prefill(copy.agreement)["narrative"] == "Une année commune."
    report_file(task=active_task(application=copy, node=ApplicationFlow.report), by=applicant, content=_content(copy))
    # The lead's year-2 task is not touched by the copy's year-1 report.
    assert active_task(application=lead, node=ApplicationFlow.report) is not None
    assert not Report.objects.filter(agreement__application=lead, year=2).exists()
