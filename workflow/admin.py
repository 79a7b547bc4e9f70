from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_mixins import ReadOnlyModelAdmin

from .models import ApplicationProcess, OutboxMessage
from .notifications import outbox_send

# viewflow registers its own Process and Task admins (viewflow/workflow/admin.py);
# ApplicationProcess is a separate model (multi-table child of Process), registered here.


@admin.register(ApplicationProcess)
class ApplicationProcessAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "application", "status", "created", "finished"]
    list_filter = ["status"]
    list_select_related = ["application"]
    search_fields = ["application__title", "application__organisation__name"]
    date_hierarchy = "created"
    fields = ["application", "status", "created", "finished"]


class PendingFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", _("Not sent yet")), ("yes", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "kind", "recipient", "application", "created_at", "sent_at", "attempts"]
    list_filter = [PendingFilter, "kind"]
    list_select_related = ["recipient", "application"]
    search_fields = ["recipient__email", "application__title"]
    date_hierarchy = "created_at"
    actions = ["send_now"]

    @admin.action(description=_("Send the selected unsent messages now"))
    def send_now(self, request, queryset):
        sent = sum(
            outbox_send(message_pk=pk) for pk in queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d message sent.", "%(count)d messages sent.", sent) % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )
