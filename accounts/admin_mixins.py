"""Shared admin behaviour."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Records the workflow writes through its services: the admin shows them, never edits them.

    Editing them here would skip the process (viewflow tasks), the audit and the notifications.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = False
