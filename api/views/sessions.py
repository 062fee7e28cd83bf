"""Sessions: list with filters, detail, schedule / edit / cancel for those who may, and the
caller's RSVP — through the same selectors and services as the pages (the capacity lock and
the waitlist of ``rsvp_set``)."""

from dataclasses import asdict

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.rest.base import ApiView
from api.rest.pagination import StartCursor
from api.rest.serializers import (
    CancelSerializer,
    RsvpSerializer,
    RsvpWriteSerializer,
    SessionSerializer,
    SessionWriteSerializer,
)
from communities.errors import DomainError
from communities.selectors import community_for_viewer
from events.models import Rsvp, Session
from events.sessions.selectors import (
    agenda_upcoming,
    going_count_subquery,
    my_status_subquery,
    rsvp_of,
    sessions_visible_to,
)
from events.sessions.services.rsvp import default_mode, rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)


class SessionQuery(serializers.Serializer):
    community = serializers.SlugField(required=False)
    format = serializers.ChoiceField(choices=Session.Format.choices, required=False)
    start_after = serializers.DateTimeField(required=False)
    start_before = serializers.DateTimeField(required=False)
    updated_since = serializers.DateTimeField(required=False)


def _listed(user):
    return (
        sessions_visible_to(user)
        .select_related("community", "festival")
        .prefetch_related("hosts")
        .annotate(going_count=going_count_subquery(), my_status=my_status_subquery(user))
    )


def _visible(request, session_id: int) -> Session:
    session = _listed(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def _details(data: dict, base: SessionDetails | None = None) -> SessionDetails:
    fields = asdict(base) if base else {}
    fields.update({key: value for key, value in data.items() if key != "community"})
    fields.setdefault("timezone", settings.TIME_ZONE)
    fields["host_ids"] = tuple(fields.get("host_ids", ()))
    for text in ("description", "location", "online_url", "guest_speaker", "materials"):
        fields[text] = fields.get(text) or ""
    return SessionDetails(**fields)


def _details_of(session: Session) -> SessionDetails:
    return SessionDetails(
        title=session.title,
        format=session.format,
        start=session.start,
        end=session.end,
        timezone=session.timezone,
        description=session.description,
        location=session.location,
        online_url=session.online_url,
        capacity=session.capacity,
        online_capacity=session.online_capacity,
        rsvp_deadline=session.rsvp_deadline,
        materials=session.materials,
        guest_speaker=session.guest_speaker,
        members_only=session.members_only,
        max_guests=session.max_guests,
    )


class SessionList(ApiView):
    list_view = True
    serializer_class = SessionSerializer
    pagination_class = StartCursor
    required_scope = "manage"

    @extend_schema(parameters=[SessionQuery])
    def get(self, request):
        query = SessionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        sessions = _listed(request.user)
        if "community" in filters:
            sessions = sessions.filter(community__slug=filters["community"])
        if "format" in filters:
            sessions = sessions.filter(format=filters["format"])
        if "start_after" in filters:
            sessions = sessions.filter(start__gte=filters["start_after"])
        if "start_before" in filters:
            sessions = sessions.filter(start__lt=filters["start_before"])
        if "updated_since" in filters:
            sessions = sessions.filter(updated_at__gte=filters["updated_since"])
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer})
    def post(self, request):
        payload = SessionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "community" not in data:
            raise serializers.ValidationError({"community": [_("Name the community.")]})
        community = community_for_viewer(user=request.user, slug=data["community"])
        if community is None:
            raise serializers.ValidationError({"community": [_("No such community.")]})

        def produce():
            session = session_create(
                community=community, actor=request.user, details=_details(data)
            )
            return Response(SessionSerializer(_visible(request, session.pk)).data, status=201)

        return self.respond_once(request, produce)


class SessionDetail(ApiView):
    serializer_class = SessionSerializer
    required_scope = "manage"

    def get(self, request, session_id: int):
        return Response(self.get_serializer(_visible(request, session_id)).data)

    @extend_schema(request=SessionWriteSerializer(partial=True), responses={200: SessionSerializer})
    def patch(self, request, session_id: int):
        session = _visible(request, session_id)
        payload = SessionWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)

        def produce():
            details = _details(payload.validated_data, _details_of(session))
            session_update(session_id=session.pk, actor=request.user, details=details)
            return Response(SessionSerializer(_visible(request, session.pk)).data)

        return self.respond_once(request, produce)


class SessionCancel(ApiView):
    serializer_class = SessionSerializer
    required_scope = "manage"

    @extend_schema(request=CancelSerializer, responses={200: SessionSerializer})
    def post(self, request, session_id: int):
        session = _visible(request, session_id)
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def produce():
            session_cancel(
                session_id=session.pk, actor=request.user, reason=payload.validated_data["reason"]
            )
            return Response(SessionSerializer(_visible(request, session.pk)).data)

        return self.respond_once(request, produce)


class SessionRsvp(ApiView):
    """The caller's answer for one session: read it, or set it (going when full: waitlisted)."""

    serializer_class = RsvpSerializer
    required_scope = "rsvp"

    def get(self, request, session_id: int):
        session = _visible(request, session_id)
        rsvp = rsvp_of(user=request.user, session=session)
        if rsvp is None:
            raise DomainError(_("You have not answered for this session."), code="not_found")
        return Response(self.get_serializer(rsvp).data)

    @extend_schema(request=RsvpWriteSerializer, responses={200: RsvpSerializer})
    def put(self, request, session_id: int):
        session = _visible(request, session_id)
        payload = RsvpWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data

        def produce():
            rsvp = rsvp_set(
                session_id=session.pk,
                user=request.user,
                status=data["status"],
                guests=data.get("guests", 0),
                mode=data.get("mode") or default_mode(session),
            )
            return Response(self.get_serializer(rsvp).data)

        return self.respond_once(request, produce)


class MyRsvps(ApiView):
    list_view = True
    serializer_class = RsvpSerializer

    def get(self, request):
        rsvps = Rsvp.objects.filter(
            user=request.user, session__in=sessions_visible_to(request.user).values("pk")
        )
        page = self.paginate_queryset(rsvps)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MyAgenda(ApiView):
    """What I am going to (or waiting for), from now on."""

    list_view = True
    serializer_class = SessionSerializer
    pagination_class = StartCursor

    @extend_schema(parameters=[OpenApiParameter("page_size", int)])
    def get(self, request):
        sessions = (
            agenda_upcoming(request.user).prefetch_related("hosts").select_related("festival")
        )
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
