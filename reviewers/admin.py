from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import (
    AdvisorProfile,
    Comment,
    CommitteeSettings,
    Conflict,
    ConflictDeclaration,
    DecisionYear,
    ReviewerAssignment,
    RubricLevel,
    Score,
    SimulatedAmount,
    SupportRequest,
)


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "advisor", "requested_by", "created_at", "closed_at"]
    list_filter = ["advisor"]
    list_select_related = ["application", "advisor", "requested_by"]
    search_fields = ["application__title", "application__organisation__name", "advisor__email"]
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "section", "author", "created_at"]
    list_filter = ["section"]
    list_select_related = ["application", "author"]
    search_fields = ["body", "application__title", "author__email"]
    date_hierarchy = "created_at"


class ScoreInline(ReadOnlyTabularInline):
    model = Score
    fields = ["criterion", "value", "comment"]


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "reviewer", "created_at", "submitted_at"]
    list_filter = ["application__call"]
    list_select_related = ["application", "reviewer"]
    search_fields = ["application__title", "reviewer__email", "reviewer__full_name"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyModelAdmin):
    list_display = ["assignment", "criterion", "value"]
    list_filter = ["value", "criterion__key"]
    list_select_related = ["assignment__application", "assignment__reviewer", "criterion"]
    search_fields = ["assignment__application__title", "assignment__reviewer__email"]


@admin.register(AdvisorProfile)
class AdvisorProfileAdmin(admin.ModelAdmin):
    """Advisors' territories and capacity: configuration, editable here and on the managers' page."""

    list_display = ["advisor", "capacity", "available"]
    list_filter = ["available", "regions"]
    list_select_related = ["advisor"]
    search_fields = ["advisor__email", "advisor__full_name"]
    filter_horizontal = ["regions", "mrcs"]
    autocomplete_fields = ["advisor"]


@admin.register(RubricLevel)
class RubricLevelAdmin(admin.ModelAdmin):
    list_display = ["criterion", "level", "description"]
    list_filter = ["criterion__call"]
    list_select_related = ["criterion"]
    search_fields = ["description", "criterion__title"]


@admin.register(CommitteeSettings)
class CommitteeSettingsAdmin(admin.ModelAdmin):
    list_display = ["call", "chair", "comment_threshold", "disagreement_threshold"]
    list_select_related = ["call", "chair"]
    search_fields = ["call__title", "chair__email"]
    autocomplete_fields = ["chair"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyModelAdmin):
    list_display = ["call", "member", "declared_at"]
    list_filter = ["call"]
    list_select_related = ["call", "member"]
    search_fields = ["member__email", "call__title"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyModelAdmin):
    list_display = ["call", "member", "organisation", "reason", "declared_at"]
    list_filter = ["call"]
    list_select_related = ["call", "member", "organisation"]
    search_fields = ["member__email", "organisation__name", "reason"]


@admin.register(SimulatedAmount)
class SimulatedAmountAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "amount", "updated_by", "updated_at"]
    list_select_related = ["application", "updated_by"]


@admin.register(DecisionYear)
class DecisionYearAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "year", "amount"]
    list_select_related = ["application"]
