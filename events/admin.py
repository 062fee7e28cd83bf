"""The events admin. Sessions, answers and series are read-only here: a change to them has
consequences (calendar updates, the waiting list, mail), so it goes through the services, from
the session's own pages or from the actions below."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.admin_base import ReadOnlyAdmin, run_per_row
from events.calendar.models import CalendarDelivery, CalendarReply
from events.models import (
    Announcement,
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalReview,
    ReminderPreference,
    Room,
    Rsvp,
    Series,
    SeriesRsvp,
    Session,
    Slot,
    SpeakerProfile,
    Takeaway,
    TakeawayReview,
    TakeawayTag,
    Track,
)
from events.sessions.services.rsvp import rsvp_remove
from events.sessions.services.scheduling import session_cancel


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    """Moving, editing or cancelling a session tells everyone's calendar: edit it on its page
    (/sessions/<id>/edit/) or cancel it with the action, both through the services."""

    list_display = ["title", "community", "format", "start", "state"]
    list_filter = ["format", "state"]
    search_fields = ["title"]
    date_hierarchy = "start"
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected sessions (tells everyone who answered)"))
    def cancel(self, request, queryset) -> None:
        run_per_row(
            self,
            request,
            queryset,
            lambda actor, session: session_cancel(
                session_id=session.pk, actor=actor, reason=str(_("Cancelled by the organisation."))
            ),
            _("%(count)d cancelled."),
        )


@admin.register(Rsvp)
class RsvpAdmin(ReadOnlyAdmin):
    list_display = ["session", "user", "status", "position", "attended"]
    list_filter = ["status"]
    actions = ["remove"]

    @admin.action(description=_("Take the selected people off the list (their seat goes on)"))
    def remove(self, request, queryset) -> None:
        run_per_row(
            self,
            request,
            queryset,
            lambda actor, rsvp: rsvp_remove(
                session_id=rsvp.session_id, actor=actor, rsvp_id=rsvp.pk
            ),
            _("%(count)d taken off the list."),
        )


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "rrule", "first_start"]
    search_fields = ["title"]


@admin.register(SeriesRsvp)
class SeriesRsvpAdmin(ReadOnlyAdmin):
    list_display = ["series", "user"]


@admin.register(CalendarDelivery)
class CalendarDeliveryAdmin(ReadOnlyAdmin):
    """What each person's calendar was last sent (the invitations' ledger)."""

    list_display = ["uid", "user", "sequence", "method"]
    search_fields = ["uid"]


@admin.register(CalendarReply)
class CalendarReplyAdmin(ReadOnlyAdmin):
    list_display = ["uid", "user", "partstat", "outcome", "reason"]
    list_filter = ["outcome"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "digest"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["subject", "community", "session", "author", "recipients", "created_at"]


@admin.register(Takeaway)
class TakeawayAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "author", "visibility", "review_due", "archived_at"]
    list_filter = ["visibility", "kind"]
    search_fields = ["title"]
    raw_id_fields = [
        "session",
        "author",
        "owner",
        "reviewed_by",
        "hidden_by",
        "superseded_by",
    ]
    filter_horizontal = ["tags"]


@admin.register(TakeawayTag)
class TakeawayTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(TakeawayReview)
class TakeawayReviewAdmin(ReadOnlyAdmin):
    list_display = ["takeaway", "reviewer", "outcome", "at"]


# Festivals are set up here (name, dates, call for proposals, tracks, rooms, who
# organises and reviews); slots and the programme are made on the festival's builder page,
# where overlaps and dates are checked.


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "audience", "published_version"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisers", "reviewers"]
    filter_horizontal = ["communities"]
    inlines = [TrackInline, RoomInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "festival", "speaker", "session_type", "state"]
    list_filter = ["state", "session_type"]
    raw_id_fields = ["speaker", "slot", "session"]
    # Accepting, placing and the session it becomes go through the festival's pages.
    readonly_fields = ["state", "slot", "session"]


@admin.register(ProposalReview)
class ProposalReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "reviewer", "score"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["festival", "room", "start", "end", "kind"]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdmin):
    list_display = ["festival", "number", "published_at"]


@admin.register(SpeakerProfile)
class SpeakerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user"]
    exclude = ["photo"]
