"""What the API shows of each resource. Times are ISO 8601 with their offset; ids are the
database ids (stable); communities and festivals are also named by their slug."""

from django.urls import reverse
from rest_framework import serializers

from communities.models import Community, Membership, User
from events.models import Festival, Rsvp, Series, Session, Takeaway


class CommunitySerializer(serializers.ModelSerializer):
    topics = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    my_role = serializers.CharField(read_only=True, allow_null=True, default=None)
    my_state = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Community
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "purpose",
            "description",
            "visibility",
            "join_policy",
            "topics",
            "member_count",
            "my_role",
            "my_state",
            "updated_at",
        ]

    def get_topics(self, community: Community) -> list[str]:
        return [topic.name for topic in community.topics.all()]


class MembershipSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "community", "role", "state", "joined_at", "updated_at"]


class MemberSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "display_name", "email", "role", "state", "joined_at"]


class SessionSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    festival = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    hosts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    going_count = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    my_status = serializers.CharField(read_only=True, allow_null=True, default=None)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "community",
            "festival",
            "series",
            "format",
            "title",
            "description",
            "hosts",
            "guest_speaker",
            "start",
            "end",
            "timezone",
            "location",
            "online_url",
            "capacity",
            "online_capacity",
            "max_guests",
            "members_only",
            "rsvp_deadline",
            "state",
            "cancel_reason",
            "going_count",
            "my_status",
            "web_url",
            "updated_at",
        ]

    def get_web_url(self, session: Session) -> str:
        return reverse("session_detail", args=[session.pk])


class SessionWriteSerializer(serializers.Serializer):
    """What a coordinator sends to schedule or edit a session (``community`` only on create)."""

    community = serializers.SlugField(required=False)
    title = serializers.CharField(max_length=200)
    format = serializers.ChoiceField(choices=Session.Format.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    timezone = serializers.CharField(max_length=64, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    online_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100000
    )
    online_capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100000
    )
    rsvp_deadline = serializers.DateTimeField(required=False, allow_null=True)
    guest_speaker = serializers.CharField(required=False, allow_blank=True, max_length=200)
    members_only = serializers.BooleanField(required=False)
    max_guests = serializers.IntegerField(required=False, min_value=0, max_value=10)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=280, default="")


class RsvpSerializer(serializers.ModelSerializer):
    waitlist_position = serializers.IntegerField(source="position", read_only=True, allow_null=True)

    class Meta:
        model = Rsvp
        fields = ["id", "session", "status", "guests", "mode", "waitlist_position", "updated_at"]


class RsvpWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["going", "maybe", "declined"])
    guests = serializers.IntegerField(required=False, min_value=0, max_value=10, default=0)
    mode = serializers.ChoiceField(choices=Rsvp.Mode.choices, required=False)


class SeriesSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Series
        fields = [
            "id",
            "community",
            "title",
            "format",
            "description",
            "rrule",
            "timezone",
            "first_start",
            "duration",
            "location",
            "online_url",
            "capacity",
            "ended",
        ]


class FestivalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Festival
        fields = [
            "id",
            "slug",
            "name",
            "theme",
            "description",
            "venue",
            "timezone",
            "starts_on",
            "ends_on",
            "cfp_opens_at",
            "cfp_closes_at",
            "audience",
            "published_version",
        ]


class ProgrammeEntrySerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    title = serializers.CharField(source="session.title")
    start = serializers.DateTimeField(source="slot.start")
    end = serializers.DateTimeField(source="slot.end")
    room = serializers.CharField(source="slot.room.name", allow_null=True)
    track = serializers.CharField(source="track.name", allow_null=True, default=None)
    session_type = serializers.CharField()
    level = serializers.CharField()
    language = serializers.CharField()
    going = serializers.IntegerField()
    my_status = serializers.CharField(allow_null=True)


class TakeawaySerializer(serializers.ModelSerializer):
    tags = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()

    class Meta:
        model = Takeaway
        fields = [
            "id",
            "session",
            "author",
            "title",
            "body",
            "kind",
            "tags",
            "visibility",
            "language",
            "created_at",
            "updated_at",
        ]

    def get_tags(self, takeaway: Takeaway) -> list[str]:
        return [tag.name for tag in takeaway.tags.all()]

    def get_author(self, takeaway: Takeaway) -> int | None:
        return takeaway.author_id


class PersonSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="name", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "team", "is_staff", "state", "date_joined"]

    def get_state(self, person: User) -> str:
        if not person.is_active:
            return "deactivated"
        return "awaiting_approval" if person.awaiting_approval else "active"


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    note = serializers.CharField()


class InsightsSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    period_start = serializers.DateField()
    today = serializers.DateField()
    sessions = serializers.IntegerField()
    attendees = serializers.IntegerField()
    members_now = serializers.IntegerField()
    no_show_rate = serializers.FloatField(allow_null=True)
    repeat_share = serializers.FloatField(allow_null=True)
    presenters = serializers.IntegerField()
    takeaways = serializers.IntegerField()
    takeaways_per_session = serializers.FloatField(allow_null=True)
    teams = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    charts = ChartSerializer(many=True)
