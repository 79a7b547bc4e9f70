"""Task pages of the follow-up steps: agreement, yearly/final report, report review."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.task_pages import done as _done
from workflow.task_pages import render_task as _render

from . import followup
from .indicators import targets_of
from .models import ReportReview
from .task_forms import AgreementForm, ReportForm, ReviewForm


def agreement(request, task, application):
    call = application.call
    asked = {y.year: y.amount for y in application.years.all()}
    initial = {f"amount_{year}": asked.get(year) for year in range(1, call.max_years + 1)}
    initial["signed_on"] = timezone.localdate()
    form = AgreementForm(request.POST or None, max_years=call.max_years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            followup.agreement_create(
                task=task,
                by=request.user,
                amounts=data["amounts"],
                signed_on=data["signed_on"],
                conditions=data["conditions"],
                tranches=data["tranches"],
                due_dates=data["due_dates"],
            )
        except followup.AgreementInvalid:
            form.add_error(None, _("Enter one amount per funded year, up to the call's maximum."))
        else:
            return _done(request, _("The agreement was set up."))
    return _render(request, "agreement.html", task, application, form=form, asked=asked)


def report(request, task, application):
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        raise Http404
    year = followup.current_year(agreement)
    indicators = list(application.indicators.all())
    current = agreement.reports.filter(year=year).prefetch_related("attachments", "reviews__by").first()
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        year=year,
        targets=targets_of(indicators),
        is_final=year == agreement.years.count(),
        plan=followup.spending_plan(agreement, year),
        existing=current.attachments.all() if current else (),
        initial=followup.report_prefill(agreement),
    )
    if request.method == "POST" and form.is_valid():
        content = followup.ReportContent(
            narrative=form.cleaned_data["narrative"],
            sustainability_update=form.cleaned_data["sustainability_update"],
            lessons=form.cleaned_data.get("lessons", ""),
            results=form.results(),
            spending=form.spending(),
            attachments=[form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else [],
            remove_attachments=form.removed(),
        )
        try:
            followup.report_file(task=task, by=request.user, content=content)
        except followup.ReportIncomplete:
            form.add_error(None, _("Explain each off-target value in a comment."))
        except ValueError:
            form.add_error(None, _("The indicators changed while you were writing. Check the values and send again."))
        else:
            return _done(request, _("Your report was sent to the fund."))
    previous = agreement.reports.filter(year=year - 1).prefetch_related("results").first()
    last_actual = {r.indicator_id: r.actual for r in previous.results.all()} if previous else {}
    reviews = [r for r in current.reviews.all() if r.decision == ReportReview.Decision.SENT_BACK] if current else []
    return _render(
        request,
        "report.html",
        task,
        application,
        form=form,
        agreement=agreement,
        year=year,
        funded_year=agreement.years.filter(year=year).first(),
        last_actual=last_actual,
        reviews=reviews,
        cofunded=followup.cofunded_agreements(application),
    )


def review_report(request, task, application):
    agreement = getattr(application, "agreement", None)
    pending = followup.pending_report(agreement) if agreement else None
    if pending is None:
        raise Http404
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["approve"]
        followup.report_review(task=task, by=request.user, approve=approve, comments=form.cleaned_data["comments"])
        if approve:
            return _done(request, _("The report was approved."))
        return _done(request, _("The report was sent back to the organisation with your comments."))
    results = pending.results.select_related("indicator").order_by("indicator__position", "indicator_id")
    return _render(
        request,
        "review_report.html",
        task,
        application,
        form=form,
        report=pending,
        results=results,
        agreement=agreement,
        spending=list(pending.spending.all()),
        attachments=list(pending.attachments.all()),
        reviews=list(pending.reviews.select_related("by")),
        tranches=list(agreement.tranches.filter(after_report_year=pending.year, released_at__isnull=True)),
    )


HANDLERS = {"agreement": agreement, "report": report, "review_report": review_report}
