from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import Application, BudgetYear, ChecklistAnswer, Indicator, Partner, WizardState


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
