"""The audit log in the admin: auditlog's read-only list, searching the fields this project has
(people have an e-mail address and a display name, no first and last name)."""

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class LogEntryAdmin(AuditlogEntryAdmin):
    search_fields = ["object_repr", "actor_email", "actor__display_name"]


def register_admin() -> None:
    if admin.site.is_registered(LogEntry):
        admin.site.unregister(LogEntry)
    admin.site.register(LogEntry, LogEntryAdmin)
