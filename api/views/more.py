"""Series, festivals with their programme, takeaways, and the staff's people and insights."""

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.rest.base import ApiView
from api.rest.pagination import Cursor
from api.rest.serializers import (
    FestivalSerializer,
    InsightsSerializer,
    PersonSerializer,
    ProgrammeEntrySerializer,
    SeriesSerializer,
    TakeawaySerializer,
)
from communities.models import Community, Membership
from communities.selectors import people_for_staff
from events.festivals.selectors import festival_for_viewer, festivals_visible_to, programme_sessions
from events.insights.selectors import PERIODS, organisation_insights
from events.models import Series
from events.series.selectors import series_for_viewer
from events.takeaways.selectors.reading import takeaway_for_viewer, takeaways_visible_to
from events.takeaways.selectors.search import TakeawayFilters, takeaway_search


def _staff_only(request) -> None:
    if not (request.user.is_active and request.user.is_staff):
        raise Http404


class SeriesList(ApiView):
    list_view = True
    serializer_class = SeriesSerializer

    def get(self, request):
        # The same rule as series_for_viewer: by the series' community.
        member_of = Membership.objects.filter(
            user=request.user, state=Membership.State.ACTIVE
        ).values("community_id")
        series = (
            Series.objects.filter(community__archived=False)
            .filter(
                Q(community__visibility=Community.Visibility.PUBLIC) | Q(community_id__in=member_of)
            )
            .select_related("community")
        )
        page = self.paginate_queryset(series)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SeriesDetail(ApiView):
    serializer_class = SeriesSerializer

    def get(self, request, series_id: int):
        series = series_for_viewer(user=request.user, series_id=series_id)
        if series is None:
            raise Http404
        return Response(self.get_serializer(series).data)


class FestivalList(ApiView):
    list_view = True
    serializer_class = FestivalSerializer

    def get(self, request):
        page = self.paginate_queryset(festivals_visible_to(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FestivalDetail(ApiView):
    serializer_class = FestivalSerializer

    def get(self, request, slug: str):
        festival = festival_for_viewer(user=request.user, slug=slug)
        if festival is None:
            raise Http404
        return Response(self.get_serializer(festival).data)


class FestivalProgramme(ApiView):
    """The published programme: placed sessions with room, track, times and counts."""

    serializer_class = ProgrammeEntrySerializer
    pagination_class = None

    @extend_schema(responses={200: ProgrammeEntrySerializer(many=True)})
    def get(self, request, slug: str):
        festival = festival_for_viewer(user=request.user, slug=slug)
        if festival is None:
            raise Http404
        if not festival.published_version:
            return Response([])
        entries = programme_sessions(festival, request.user)
        return Response(self.get_serializer(entries, many=True).data)


class TakeawayQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    community = serializers.SlugField(required=False)
    tag = serializers.SlugField(required=False)


class TakeawayList(ApiView):
    """Takeaways the caller may read; ``q`` searches them as the search page does."""

    list_view = True
    serializer_class = TakeawaySerializer

    @extend_schema(parameters=[TakeawayQuery])
    def get(self, request):
        query = TakeawayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = TakeawayFilters(
            q=query.validated_data.get("q", ""),
            community=query.validated_data.get("community", ""),
            tag=query.validated_data.get("tag", ""),
        )
        matching = takeaway_search(request.user, filters).values("pk")
        takeaways = takeaways_visible_to(request.user).filter(pk__in=matching)
        page = self.paginate_queryset(takeaways.prefetch_related("tags"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TakeawayDetail(ApiView):
    serializer_class = TakeawaySerializer

    def get(self, request, takeaway_id: int):
        takeaway = takeaway_for_viewer(user=request.user, takeaway_id=takeaway_id)
        if takeaway is None:
            raise Http404
        return Response(self.get_serializer(takeaway).data)


class PeopleQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=["all", "active", "deactivated"], required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PeopleList(ApiView):
    """Staff: the organisation's people, active or deactivated (404 for everyone else)."""

    list_view = True
    serializer_class = PersonSerializer
    pagination_class = Cursor

    @extend_schema(parameters=[PeopleQuery])
    def get(self, request):
        _staff_only(request)
        query = PeopleQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        people = people_for_staff(
            viewer=request.user,
            query=query.validated_data.get("q", ""),
            status=query.validated_data.get("status", "all"),
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InsightsView(ApiView):
    """Staff: the organisation's aggregate figures, with the pages' minimum-group rule."""

    serializer_class = InsightsSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("months", int, enum=list(PERIODS))])
    def get(self, request):
        _staff_only(request)
        months = request.query_params.get("months", "12")
        if months not in {str(period) for period in PERIODS}:
            raise serializers.ValidationError({"months": [f"one of {list(PERIODS)}"]})
        insights = organisation_insights(viewer=request.user, months=int(months))
        return Response(self.get_serializer(insights).data)
