from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline
from fonds.admin_scope import FundScopedAdminMixin, FundScopedInlineMixin

from .admin_guard import KeepSubmittedAnswersAdminMixin, KeepSubmittedAnswersInlineMixin
from .models import (
    Application,
    Attachment,
    BudgetYear,
    CallFormSettings,
    CallQuestion,
    ChecklistAnswer,
    Indicator,
    Partner,
    QuestionAnswer,
    WizardState,
)


class BudgetYearInline(ReadOnlyTabularInline):
    model = BudgetYear
    fields = ["year", "amount"]


class PartnerInline(ReadOnlyTabularInline):
    model = Partner
    fields = ["position", "name", "role"]


class IndicatorInline(ReadOnlyTabularInline):
    model = Indicator
    fields = ["position", "name", "unit", "baseline", "target"]


class ChecklistAnswerInline(ReadOnlyTabularInline):
    model = ChecklistAnswer
    fields = ["item", "checked", "justification"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "organisation", "call", "status", "created_at", "submitted_at", "decided_at"]
    list_filter = ["status", "eligible", "call__fund", "call"]
    list_select_related = ["organisation", "call"]
    search_fields = ["title", "summary", "organisation__name", "call__title", "created_by__email"]
    date_hierarchy = "created_at"
    inlines = [BudgetYearInline, PartnerInline, IndicatorInline, ChecklistAnswerInline]


# -- a call's application form, configured by fund managers (no deploy needed), scoped to their funds.
# CallFormSettingsInline and CallQuestionInline are also inlines of fonds' CallAdmin.


class CallFormSettingsInline(FundScopedInlineMixin, admin.StackedInline):
    model = CallFormSettings
    fund_lookup = "call__fund"
    can_delete = False
    max_num = 1
    fields = [
        "partners_enabled",
        "budget_lines_enabled",
        "yearly_targets_enabled",
        "cofunding_enabled",
        "attachments_enabled",
        "attachments_help",
        "max_attachments",
    ]


class CallQuestionInline(KeepSubmittedAnswersInlineMixin, FundScopedInlineMixin, admin.StackedInline):
    model = CallQuestion
    fund_lookup = "call__fund"
    extra = 0
    fields = ["step", "position", "label", "help_text", "max_length", "required", "prefill"]


@admin.register(CallFormSettings)
class CallFormSettingsAdmin(FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "call__fund"
    list_display = ["call", "partners_enabled", "budget_lines_enabled", "cofunding_enabled", "attachments_enabled"]
    list_filter = ["attachments_enabled", "cofunding_enabled", "call__fund"]
    list_select_related = ["call"]
    search_fields = ["call__title"]


@admin.register(CallQuestion)
class CallQuestionAdmin(KeepSubmittedAnswersAdminMixin, FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "call__fund"
    list_display = ["label", "call", "step", "position", "required", "max_length"]
    list_filter = ["step", "required", "call__fund"]
    list_select_related = ["call"]
    search_fields = ["label", "call__title"]


@admin.register(QuestionAnswer)
class QuestionAnswerAdmin(ReadOnlyModelAdmin):
    list_display = ["question", "application"]
    list_select_related = ["question", "application"]
    search_fields = ["question__label", "application__title"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyModelAdmin):
    # No link to the file here: downloads go through forms:attachment, which checks who asks.
    list_display = ["name", "kind", "size", "application", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["application"]
    search_fields = ["name", "application__title"]
    exclude = ["file"]


@admin.register(WizardState)
class WizardStateAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "updated_at"]
    list_select_related = ["application"]
    search_fields = ["application__title", "application__organisation__name"]


@admin.register(BudgetYear)
class BudgetYearAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "year", "amount"]
    list_select_related = ["application"]
    search_fields = ["application__title"]


@admin.register(Partner)
class PartnerAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "role", "application"]
    list_select_related = ["application"]
    search_fields = ["name", "application__title"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "unit", "baseline", "target", "application"]
    list_select_related = ["application"]
    search_fields = ["name", "application__title"]


@admin.register(ChecklistAnswer)
class ChecklistAnswerAdmin(ReadOnlyModelAdmin):
    list_display = ["item", "checked", "application"]
    list_filter = ["checked"]
    list_select_related = ["item", "application"]
    search_fields = ["item__text", "application__title"]
