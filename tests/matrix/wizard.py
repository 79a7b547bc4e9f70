"""Permission-matrix entries — Issue 3: the application wizard, autosave, attachments, the PDF copy.

ENTRIES maps a URL name to its cases (see tests/matrix/base.py and tests/test_permission_matrix.py).
The `world` fixture of the matrix test holds the scenario `s` (tests/scenario.py) passed to each lambda.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .base import Case, app

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DRAFT_VIEWERS = ["applicant", "manager"]  # the organisation's members and the fund's managers


def _attachments_on(s):
    from forms.services import call_form_configure

    if not getattr(s, "attachments_on", False):
        call_form_configure(call=s.call, attachments_enabled=True)
        s.attachments_on = True


def _attachment(s, key: str):
    """A file joined to the scenario's draft, made once per key and cached on the scenario."""
    from forms.services import attachment_add

    if getattr(s, key, None) is None:
        _attachments_on(s)
        draft = app("draft")(s)
        uploaded = SimpleUploadedFile("lettre.pdf", PDF, content_type="application/pdf")
        setattr(s, key, attachment_add(application=draft, by=s.users["applicant"], uploaded=uploaded))
    return getattr(s, key)


def _fresh_version(s) -> int:
    """The draft's version as the database holds it now (earlier cases may have saved it)."""
    from forms.models import Application

    return Application.objects.values_list("version", flat=True).get(pk=app("draft")(s).pk)


def _upload_url(s):
    _attachments_on(s)
    return reverse("forms:attachment_upload", args=[app("draft")(s).pk])


ENTRIES: dict[str, list[Case]] = {
    "forms:autosave": [
        Case(
            "post",
            lambda s: reverse("forms:autosave", args=[app("draft")(s).pk, "project"]),
            ["applicant"],
            data=lambda s: {"version": str(_fresh_version(s)), "project-summary": "Un résumé enregistré en tapant."},
        )
    ],
    "forms:attachment_upload": [
        Case(
            "post",
            _upload_url,
            ["applicant"],
            data=lambda s: {"file": SimpleUploadedFile("budget.pdf", PDF), "description": "Budget"},
        )
    ],
    "forms:attachment": [
        Case(
            "get",
            lambda s: reverse("forms:attachment", args=[app("draft")(s).pk, _attachment(s, "att_download").pk]),
            DRAFT_VIEWERS,
        )
    ],
    "forms:attachment_delete": [
        Case(
            "post",
            lambda s: reverse("forms:attachment_delete", args=[app("draft")(s).pk, _attachment(s, "att_delete").pk]),
            ["applicant"],
        )
    ],
    "forms:pdf": [
        Case(
            "get",
            lambda s: reverse("forms:pdf", args=[app("score")(s).pk]),
            ["applicant", "reviewer1", "reviewer2", "manager"],
        )
    ],
}
