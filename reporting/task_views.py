"""Task pages of the follow-up steps: agreement, yearly report, report review."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import services
from workflow.views import done as _done
from workflow.views import render_task as _render

from .task_forms import AgreementForm, ReportForm


def agreement(request, task, application):
    call = application.call
    asked = {y.year: y.amount for y in application.years.all()}
    initial = {f"amount_{year}": asked.get(year) for year in range(1, call.max_years + 1)}
    initial["signed_on"] = timezone.localdate()
    form = AgreementForm(request.POST or None, max_years=call.max_years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_create(
                task=task,
                by=request.user,
                amounts=data["amounts"],
                signed_on=data["signed_on"],
                conditions=data["conditions"],
            )
        except ValueError:
            form.add_error(None, _("Enter one amount per funded year, up to the call's maximum."))
        else:
            return _done(request, _("The agreement was set up."))
    return _render(request, "agreement.html", task, application, form=form, asked=asked)


def report(request, task, application):
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        raise Http404
    form = ReportForm(request.POST or None, indicators=application.indicators.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                task=task,
                by=request.user,
                narrative=form.cleaned_data["narrative"],
                sustainability_update=form.cleaned_data["sustainability_update"],
                results=form.results(),
            )
        except ValueError:
            form.add_error(None, _("The indicators changed while you were writing. Check the values and send again."))
        else:
            return _done(request, _("Your report was sent to the fund."))
    year = agreement.reports.count() + 1
    return _render(request, "report.html", task, application, form=form, agreement=agreement, year=year)


def review_report(request, task, application):
    agreement = getattr(application, "agreement", None)
    pending = agreement.reports.filter(approved_at__isnull=True).order_by("year").first() if agreement else None
    if pending is None:
        raise Http404
    if request.method == "POST":
        services.report_approve(task=task, by=request.user)
        return _done(request, _("The report was approved."))
    results = pending.results.select_related("indicator").order_by("indicator__position", "indicator_id")
    return _render(
        request, "review_report.html", task, application, report=pending, results=results, agreement=agreement
    )


HANDLERS = {"agreement": agreement, "report": report, "review_report": review_report}
