from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import AccountabilityExport, Agreement, AgreementYear, IndicatorResult, Report


class AgreementYearInline(ReadOnlyTabularInline):
    model = AgreementYear
    fields = ["year", "amount", "report_due_on"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "signed_on", "created_at"]
    list_filter = ["application__call__fund"]
    list_select_related = ["application"]
    search_fields = ["application__title", "application__organisation__name"]
    date_hierarchy = "signed_on"
    inlines = [AgreementYearInline]


@admin.register(AgreementYear)
class AgreementYearAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement", "year", "amount", "report_due_on"]
    list_select_related = ["agreement__application"]
    search_fields = ["agreement__application__title"]


class IndicatorResultInline(ReadOnlyTabularInline):
    model = IndicatorResult
    fields = ["indicator", "actual", "comment"]


@admin.register(Report)
class ReportAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement", "year", "submitted_by", "submitted_at", "approved_at"]
    list_filter = ["year", "agreement__application__call__fund"]
    list_select_related = ["agreement__application", "submitted_by"]
    search_fields = ["agreement__application__title", "narrative"]
    inlines = [IndicatorResultInline]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyModelAdmin):
    list_display = ["indicator", "actual", "report"]
    list_select_related = ["indicator", "report__agreement__application"]
    search_fields = ["indicator__name"]


@admin.register(AccountabilityExport)
class AccountabilityExportAdmin(ReadOnlyModelAdmin):
    list_display = ["fund", "requested_by", "language", "status", "created_at", "finished_at"]
    list_filter = ["status", "language", "fund"]
    list_select_related = ["fund", "requested_by"]
    search_fields = ["fund__name", "requested_by__email"]
    date_hierarchy = "created_at"
