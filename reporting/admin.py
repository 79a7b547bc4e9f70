from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import (
    AccountabilityExport,
    Agreement,
    AgreementYear,
    IndicatorResult,
    PaymentTranche,
    Report,
    ReportAttachment,
    ReportReminder,
    ReportReview,
    SpendingLine,
    TargetChange,
)


class AgreementYearInline(ReadOnlyTabularInline):
    model = AgreementYear
    fields = ["year", "amount", "starts_on", "report_due_on"]


class PaymentTrancheInline(ReadOnlyTabularInline):
    model = PaymentTranche
    fields = ["position", "amount", "planned_on", "after_report_year", "released_at"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "signed_on", "created_at"]
    list_filter = ["application__call__fund"]
    list_select_related = ["application"]
    search_fields = ["application__title", "application__organisation__name"]
    date_hierarchy = "signed_on"
    inlines = [AgreementYearInline, PaymentTrancheInline]


@admin.register(AgreementYear)
class AgreementYearAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement", "year", "amount", "report_due_on"]
    list_select_related = ["agreement__application"]
    search_fields = ["agreement__application__title"]


class IndicatorResultInline(ReadOnlyTabularInline):
    model = IndicatorResult
    fields = ["indicator", "actual", "target", "off_target", "comment"]


class SpendingLineInline(ReadOnlyTabularInline):
    model = SpendingLine
    fields = ["label", "planned", "spent"]


class ReportAttachmentInline(ReadOnlyTabularInline):
    model = ReportAttachment
    fields = ["name", "content_type", "size", "uploaded_at"]


class ReportReviewInline(ReadOnlyTabularInline):
    model = ReportReview
    fields = ["decision", "comments", "by", "at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement", "year", "status", "is_final", "submitted_by", "submitted_at", "approved_at"]
    list_filter = ["status", "year", "agreement__application__call__fund"]
    list_select_related = ["agreement__application", "submitted_by"]
    search_fields = ["agreement__application__title", "narrative"]
    inlines = [IndicatorResultInline, SpendingLineInline, ReportAttachmentInline, ReportReviewInline]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyModelAdmin):
    list_display = ["indicator", "actual", "report"]
    list_select_related = ["indicator", "report__agreement__application"]
    search_fields = ["indicator__name"]


@admin.register(AccountabilityExport)
class AccountabilityExportAdmin(ReadOnlyModelAdmin):
    list_display = ["fund", "kind", "year", "application", "requested_by", "language", "status", "created_at"]
    list_filter = ["status", "kind", "language", "fund"]
    list_select_related = ["fund", "requested_by", "application"]
    search_fields = ["fund__name", "requested_by__email"]
    date_hierarchy = "created_at"


@admin.register(PaymentTranche)
class PaymentTrancheAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement", "position", "amount", "planned_on", "after_report_year", "released_at"]
    list_filter = ["agreement__application__call__fund"]
    list_select_related = ["agreement__application"]
    search_fields = ["agreement__application__title"]


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnlyModelAdmin):
    list_display = ["indicator", "year", "previous_value", "proposed_value", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "indicator__application__title"]


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyModelAdmin):
    list_display = ["agreement_year", "offset", "sent_on"]
    list_select_related = ["agreement_year__agreement__application"]
    date_hierarchy = "sent_on"
