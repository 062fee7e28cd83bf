from django.contrib import admin

from events.models import Festival, Proposal, Room, Rsvp, Session, Takeaway, TakeawayTag, Track


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "format", "start", "state"]
    list_filter = ["format", "state"]
    search_fields = ["title"]
    date_hierarchy = "start"
    autocomplete_fields = ["hosts"]
    readonly_fields = ["uid", "sequence"]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "status", "position", "attended"]
    list_filter = ["status"]
    raw_id_fields = ["session", "user"]


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
