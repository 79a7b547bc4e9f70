from django.contrib import admin

from forms.admin import CallFormSettingsInline, CallQuestionInline
from forms.admin_guard import KeepSubmittedAnswersAdminMixin, KeepSubmittedAnswersInlineMixin

from .admin_forms import EligibilityRuleForm
from .admin_scope import FundScopedAdminMixin, FundScopedInlineMixin
from .models import Call, ChecklistItem, Criterion, EligibilityRule, Fund, Funder, Theme
from .services import call_add_default_criteria


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["staff"]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "funder"]
    list_filter = ["funder"]
    list_select_related = ["funder"]
    search_fields = ["name", "funder__name"]
    filter_horizontal = ["managers"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_fr", "name_en"]


class CriterionInline(KeepSubmittedAnswersInlineMixin, FundScopedInlineMixin, admin.StackedInline):
    model = Criterion
    fund_lookup = "call__fund"
    extra = 0
    fields = ["position", "key", "title", "description", "guiding_questions", "examples", "weight"]
    show_change_link = True  # the checklist is edited on the criterion's own page


class EligibilityRuleInline(FundScopedInlineMixin, admin.StackedInline):
    model = EligibilityRule
    fund_lookup = "call__fund"
    form = EligibilityRuleForm
    extra = 0
    fields = [
        ("position", "kind"),
        "legal_forms",
        ("regions", "mrcs"),
        "populations",
        ("minimum", "maximum"),
        "years",
        "budget",
        "message",
    ]


@admin.register(Call)
class CallAdmin(FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "fund"
    list_display = ["title", "fund", "opens_at", "closes_at", "envelope", "max_years"]
    list_filter = ["fund__funder", "fund", "themes", "regions"]
    list_select_related = ["fund"]
    search_fields = ["title", "fund__name"]
    date_hierarchy = "closes_at"
    filter_horizontal = ["committee", "regions", "mrcs", "themes", "populations"]
    inlines = [CriterionInline, EligibilityRuleInline, CallFormSettingsInline, CallQuestionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # After the inlines: criteria typed in the add form win; otherwise the call gets the default rubric.
            call_add_default_criteria(call=form.instance)


class ChecklistItemInline(KeepSubmittedAnswersInlineMixin, FundScopedInlineMixin, admin.TabularInline):
    model = ChecklistItem
    fund_lookup = "criterion__call__fund"
    extra = 0
    fields = ["position", "text"]


@admin.register(Criterion)
class CriterionAdmin(KeepSubmittedAnswersAdminMixin, FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "call__fund"
    list_display = ["title", "key", "call", "weight", "position"]
    list_filter = ["call__fund"]
    list_select_related = ["call"]
    search_fields = ["title", "key", "call__title"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(KeepSubmittedAnswersAdminMixin, FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "criterion__call__fund"
    list_display = ["text", "criterion", "position"]
    list_filter = ["criterion__call__fund"]
    list_select_related = ["criterion"]
    search_fields = ["text", "criterion__title"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(FundScopedAdminMixin, admin.ModelAdmin):
    fund_lookup = "call__fund"
    form = EligibilityRuleForm
    list_display = ["call", "kind", "position"]
    list_filter = ["kind", "call__fund"]
    list_select_related = ["call"]
    search_fields = ["call__title", "message"]
    fields = ["call", *EligibilityRuleInline.fields]
