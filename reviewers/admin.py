from django.contrib import admin

from accounts.admin_mixins import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import Comment, ReviewerAssignment, Score, SupportRequest


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
