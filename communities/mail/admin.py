"""The outbox in the Django admin: read-only rows, a re-send action for failed ones (registered
by ``communities.admin``, the module Django's admin discovers)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.mail.services import outbox_retry


class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "to_email",
        "subject",
        "state",
        "attempts",
        "due_at",
        "sent_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "dedupe_key", "message_id"]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset) -> None:
        count = outbox_retry(message_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
