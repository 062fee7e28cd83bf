"""Communities: the directory, one community, joining and leaving, members for coordinators."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from api.rest.base import ApiView
from api.rest.pagination import NameCursor
from api.rest.serializers import CommunitySerializer, MemberSerializer, MembershipSerializer
from communities.errors import DomainError
from communities.models import Community, Membership
from communities.permissions import can_manage_community
from communities.selectors import (
    DirectoryFilters,
    community_directory,
    community_for_viewer,
    community_members,
    community_search,
    membership_of,
)
from communities.services.memberships import (
    membership_join,
    membership_leave,
    membership_request,
    membership_withdraw,
)


def visible_community(request, slug: str) -> Community:
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None:
        raise Http404
    return community


class CommunityList(ApiView):
    list_view = True
    serializer_class = CommunitySerializer
    pagination_class = NameCursor

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in the name, purpose or topics"),
            OpenApiParameter("kind", str, enum=Community.Kind.values),
            OpenApiParameter("mine", bool, description="Only communities I am a member of"),
        ]
    )
    def get(self, request):
        filters = DirectoryFilters(
            query=request.query_params.get("q", "")[:200],
            kind=request.query_params.get("kind", ""),
            mine=request.query_params.get("mine", "") in ("1", "true"),
        )
        communities = community_search(request.user, filters)
        page = self.paginate_queryset(communities)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CommunityDetail(ApiView):
    serializer_class = CommunitySerializer

    def get(self, request, slug: str):
        community = community_directory(request.user).filter(slug=slug).first()
        if community is None:
            raise Http404
        return Response(self.get_serializer(community).data)


class CommunityJoin(ApiView):
    """Join an open community, or ask to join one that approves its members."""

    serializer_class = MembershipSerializer
    required_scope = "rsvp"

    @extend_schema(request=None, responses={200: MembershipSerializer})
    def post(self, request, slug: str):
        community = visible_community(request, slug)

        def produce():
            if community.join_policy == Community.JoinPolicy.APPROVAL:
                membership = membership_request(
                    user=request.user, community=community, motivation=""
                )
            elif community.join_policy == Community.JoinPolicy.OPEN:
                membership = membership_join(user=request.user, community=community)
            else:
                raise DomainError(_("This community is by invitation only."), code="invite_only")
            return Response(self.get_serializer(membership).data)

        return self.respond_once(request, produce)


class CommunityLeave(ApiView):
    """Leave a community, or withdraw a request to join it."""

    serializer_class = MembershipSerializer
    required_scope = "rsvp"

    @extend_schema(request=None, responses={200: MembershipSerializer})
    def post(self, request, slug: str):
        community = visible_community(request, slug)

        def produce():
            current = membership_of(user=request.user, community=community)
            if current is not None and current.state == Membership.State.PENDING:
                membership = membership_withdraw(user=request.user, community=community)
            else:
                membership = membership_leave(user=request.user, community=community)
            return Response(self.get_serializer(membership).data)

        return self.respond_once(request, produce)


class CommunityMembers(ApiView):
    """The active members, for the community's coordinators (404 for everyone else)."""

    list_view = True
    serializer_class = MemberSerializer

    def get(self, request, slug: str):
        community = visible_community(request, slug)
        if not can_manage_community(request.user, community):
            raise Http404
        page = self.paginate_queryset(community_members(community).order_by("id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
