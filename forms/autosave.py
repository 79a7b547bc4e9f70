"""Autosave: the browser posts the parts of a step the applicant changed; valid parts are saved at once.

Answers (JSON):
- 200 {saved, version, saved_at, message, errors: {field: [messages]}}: every valid part is saved;
  `errors` lists the parts that were not, with why (what was typed stays in the browser);
- 409 {conflict: true, version, saved_by, saved_at, fields: [{name, label, yours, theirs, rows}]}:
  another member saved the same step since `version`; nothing written. Sending again with the
  returned version keeps the applicant's text ("keep mine");
- 400 when the version is missing, 403/404 for people who may not edit, 423 once submitted.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Application
from .selectors import get_application_for_member, lock_draft_for_member
from .steps import SERVICES, StepForms, step_names, time_of
from .wizard import parse_version


def _submitted() -> JsonResponse:
    return JsonResponse(
        {"saved": False, "message": _("This application was submitted; it can no longer be changed.")}, status=423
    )


@login_required
@require_POST
def autosave(request, pk: int, step: str):
    # One short transaction: the application row is read once, locked, and the save follows
    # (deadline day sends these by the thousand; see bench/deadline.py).
    with transaction.atomic():
        application = lock_draft_for_member(request.user, pk)
        if application is None:
            get_application_for_member(request.user, pk)  # the 404 or 403 the pages give
            raise Http404  # a membership granted a moment ago: the next save goes through
        if step not in SERVICES or step not in step_names(application):
            raise Http404
        if application.status != Application.Status.DRAFT:
            return _submitted()
        version = parse_version(request.POST.get("version"))
        if version is None:
            return JsonResponse(
                {"saved": False, "message": _("The page is out of date: reload it to go on.")}, status=400
            )
        step_forms = StepForms(application, locked=True)
        form = step_forms.build(step, data=request.POST, only_sent=True)
        try:
            result = step_forms.save(step, form, partial=True, by=request.user, expected_version=version)
        except services.DraftLocked:
            return _submitted()
    application = result.application
    if result.conflict:
        conflict = result.conflict
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": _("%(name)s saved this step at %(time)s, after you opened it.")
                % {"name": conflict["saved_by"] or _("Another member"), "time": conflict["saved_at"]},
                **conflict,
            },
            status=409,
        )
    saved_at = time_of(application.updated_at)
    if result.errors:
        message = _("Saved at %(time)s, except the fields marked in error.") % {"time": saved_at}
    else:
        message = _("Saved at %(time)s") % {"time": saved_at}
    return JsonResponse(
        {
            "saved": result.saved,
            "version": application.version,
            "saved_at": saved_at,
            "message": message,
            "errors": result.errors,
        }
    )
