"""What every app's admin shares: a read-only model admin and running a service per row.

The admin never writes a model behind the services' back (ARCHITECTURE.md rule 1): models whose
changes have consequences (sessions, answers, memberships, series: calendars, waiting lists,
mail) are shown read-only here, and the admin's actions call the same services as the pages.
"""

from django.contrib import admin, messages

from communities.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to staff, never added, changed or deleted here (the pages and services do that)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def run_per_row(modeladmin, request, queryset, service, done_message) -> None:
    """Call ``service(actor, row)`` for each selected row; a refusal (DomainError) is shown as
    the service worded it and the other rows go on."""
    done = 0
    for row in queryset.order_by("pk"):
        try:
            service(request.user, row)
        except DomainError as error:
            modeladmin.message_user(request, f"{row}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
