"""Autosave: the browser posts the parts of a step the applicant changed; valid parts are saved at once.

Answers (JSON):
- 200 {saved, version, saved_at, message, errors: {field: [messages]}, general_errors: {part: [messages]}}:
  every valid part is saved; `errors` lists the fields that were not, with why, and
  `general_errors` what is wrong with a part as a whole (two indicators with the same name, too
  many rows, the total of the budget), an empty list for a part sent that is fine (what was typed
  stays in the browser). `version` is the one the page is now in step with;
- 409 {conflict: true, version, saved_by, saved_at, fields: [{name, label, yours, theirs, rows}],
  theirs: [every part of the step as saved, see forms.steps.saved_parts]}: another member saved
  the same step since `version`; nothing written. The page shows every part that differs from
  what it holds, brings the parts the applicant did not touch up to the saved values, and sends
  again with the returned version what the applicant chose to keep ("keep mine");
- 400 when the version is missing or is not one the application had, 401 once signed out (the
  page keeps the text), 403/404 for people who may not edit, 423 once submitted.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Application
from .selectors import get_application_for_member, lock_draft_for_member, read_for_member
from .steps import SERVICES, StepForms, step_names, time_of
from .wizard import parse_version


def _submitted() -> JsonResponse:
    return JsonResponse(
        {"saved": False, "message": _("This application was submitted; it can no longer be changed.")}, status=423
    )


def _signed_out() -> JsonResponse:
    message = _(
        "You have been signed out, so your last changes were not saved. They are still on this page: "
        "sign in again in another tab, then come back here; saving is tried again when you type or press Save."
    )
    return JsonResponse({"saved": False, "signed_out": True, "message": message}, status=401)


@require_POST
def autosave(request, pk: int, step: str):
    # A script is asking: an answer it can read, not the sign-in page a redirect would give.
    if not request.user.is_authenticated:
        return _signed_out()
    # Deadline day sends these by the thousand (bench/deadline.py): the row is read without a lock
    # and outside any transaction, and written only if it is still as read (one SELECT, one UPDATE
    # for a step held in the application row); see services.unlocked_first.
    return services.unlocked_first(lambda read: _autosave(request, pk, step, read=read))


def _autosave(request, pk: int, step: str, *, read: services.Read) -> JsonResponse:
    if read is services.Read.LOCKED:
        application = lock_draft_for_member(request.user, pk)
    else:
        application = read_for_member(request.user, pk, years=step == "budget")
    if application is None:
        get_application_for_member(request.user, pk)  # the 404 or 403 the pages give
        raise Http404  # a membership granted a moment ago: the next save goes through
    if step not in SERVICES or step not in step_names(application):
        raise Http404
    if application.status != Application.Status.DRAFT:
        return _submitted()
    version = parse_version(request.POST.get("version"), current=application.version)
    if version is None:
        return JsonResponse({"saved": False, "message": _("The page is out of date: reload it to go on.")}, status=400)
    step_forms = StepForms(application, read=read)
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
    elif any(result.general_errors.values()):
        message = _("Saved at %(time)s, except what the messages above the fields explain.") % {"time": saved_at}
    else:
        message = _("Saved at %(time)s") % {"time": saved_at}
    return JsonResponse(
        {
            "saved": result.saved,
            "version": result.version,
            "saved_at": saved_at,
            "message": message,
            "errors": result.errors,
            "general_errors": result.general_errors,
        }
    )
