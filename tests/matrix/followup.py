"""Permission-matrix entries — Issue 5: multi-year follow-up and accountability.

ENTRIES maps a URL name to its cases (see tests/matrix/base.py and tests/test_permission_matrix.py).
The `world` fixture of the matrix test holds the scenario `s` (tests/scenario.py) passed to each lambda.
"""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from .base import ROLES, Case, app

# Who sees a funded project's follow-up: its organisation's members, the fund's managers, the funder's staff.
PROJECT_VIEWERS = ["applicant", "manager", "funder"]


def _project(s):
    return app("review_report")(s)


def _attachment(s):
    found = getattr(s, "followup_attachment", None)
    if found is None:
        from reporting.models import ReportAttachment

        report = _project(s).agreement.reports.get()
        found = ReportAttachment.objects.create(
            report=report,
            file=ContentFile(b"%PDF-1.4 test", name="bilan.pdf"),
            name="bilan.pdf",
            content_type="application/pdf",
            size=13,
            uploaded_by=s.users["applicant"],
        )
        s.followup_attachment = found
    return found


def _target_change(s):
    """A fresh pending request each time: an allowed decision consumes it."""
    from reporting.models import TargetChange

    indicator = _project(s).indicators.first()
    TargetChange.objects.filter(indicator=indicator, status="pending").delete()
    return TargetChange.objects.create(
        indicator=indicator,
        year=2,
        previous_value=Decimal("40"),
        proposed_value=Decimal("35"),
        justification="Moins de familles que prévu.",
        requested_by=s.users["applicant"],
    )


def _shared(s):
    organisation = s.organisation
    if not organisation.share_projects:
        organisation.share_projects = True
        organisation.save(update_fields=["share_projects"])
    return _project(s)


ENTRIES: dict[str, list[Case]] = {
    "reporting:project": [Case("get", lambda s: reverse("reporting:project", args=[_project(s).pk]), PROJECT_VIEWERS)],
    "reporting:project_export": [
        Case("post", lambda s: reverse("reporting:project_export", args=[_project(s).pk]), ["manager", "funder"])
    ],
    "reporting:project_xlsx": [
        Case("get", lambda s: reverse("reporting:project_xlsx", args=[_project(s).pk]), PROJECT_VIEWERS)
    ],
    "reporting:fund_xlsx": [
        Case("get", lambda s: reverse("reporting:fund_xlsx", args=[s.call.fund_id]), ["manager", "funder"])
    ],
    "reporting:attachment": [
        Case("get", lambda s: reverse("reporting:attachment", args=[_attachment(s).pk]), PROJECT_VIEWERS)
    ],
    "reporting:target_change_create": [
        Case("get", lambda s: reverse("reporting:target_change_create", args=[_project(s).pk]), ["applicant"])
    ],
    "reporting:target_change_decide": [
        Case(
            "post",
            lambda s: reverse("reporting:target_change_decide", args=[_target_change(s).pk]),
            ["manager"],
            data=lambda s: {"decision": "approve", "comment": ""},
        )
    ],
    "reporting:directory": [Case("get", lambda s: reverse("reporting:directory"), ROLES)],
    "reporting:directory_project": [
        Case("get", lambda s: reverse("reporting:directory_project", args=[_shared(s).pk]), ROLES)
    ],
}
