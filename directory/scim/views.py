"""SCIM 2.0 (RFC 7643/7644) at /scim/v2/: Users, Groups and the discovery endpoints.

Every call carries a directory token (``Authorization: Bearer``), is throttled per token and
leaves one audit entry (method, path, status; never the body). scim2-models validates what
comes in, applies PATCH operations and serialises what goes out; the services in
``directory.services`` do the writes."""

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from scim2_filter_parser.transpilers.django_q_object import get_query
from scim2_models import (
    Context,
    Group,
    ListResponse,
    PatchOp,
    ResourceType,
    ResponseParameters,
    Schema,
)

from communities.parsing import ascii_int
from directory.scim.protocol import MAX_BODY, Problem, _error, _json, scim_view
from directory.scim.resources import (
    CONFIG,
    ENTERPRISE,
    MAX_RESULTS,
    POLICY,
    PROVIDER,
    SCHEMAS,
    ScimUser,
    etag_of,
    group_data,
    group_resource,
    person_data,
    user_resource,
)
from directory.selectors import (
    group_member_ids,
    scim_group,
    scim_groups,
    scim_people,
    scim_person,
)
from directory.services.groups import (
    scim_group_create,
    scim_group_delete,
    scim_group_update,
)
from directory.services.people import (
    scim_person_create,
    scim_person_delete,
    scim_person_update,
)

USER_FILTERS = {
    ("userName", None, None): "scim_user_name",
    ("externalId", None, None): "scim_external_id",
    ("displayName", None, None): "display_name",
    ("emails", None, None): "email",
    ("emails", "value", None): "email",
    ("active", None, None): "is_active",
}
GROUP_FILTERS = {
    ("displayName", None, None): "display_name",
    ("externalId", None, None): "external_id",
    ("members", None, None): "rows__user_id",
    ("members", "value", None): "rows__user_id",
}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2/")


def _body(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY:
        raise Problem(413, "The request is too large.")
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(400, "The body is not JSON.", "invalidSyntax") from error
    if not isinstance(payload, dict):
        raise Problem(400, "The body must be a JSON object.", "invalidSyntax")
    return payload


def _user_body(request: HttpRequest, base: str) -> dict:
    """Entra sends the enterprise ``manager`` without the ``$ref`` RFC 7643 requires: it is
    the manager's user, so the reference is filled in from the value."""
    payload = _body(request)
    extension = payload.get(ENTERPRISE)
    manager = extension.get("manager") if isinstance(extension, dict) else None
    if (
        isinstance(manager, dict)
        and "$ref" not in manager
        and isinstance(manager.get("value"), str)
    ):
        manager["$ref"] = f"{base}Users/{manager['value']}"
    return payload


def _attributes(params) -> dict:
    def split(name: str) -> list[str] | None:
        value = params.get(name, "")
        return [part.strip() for part in value.split(",") if part.strip()] or None

    attributes, excluded = split("attributes"), split("excludedAttributes")
    if attributes and excluded:
        raise Problem(400, "Give attributes or excludedAttributes, not both.", "invalidValue")
    if not attributes and not excluded:
        return {}
    return {
        "response_parameters": ResponseParameters(
            attributes=attributes, excluded_attributes=excluded
        )
    }


def _method_not_allowed() -> HttpResponse:
    return _error(405, "This method is not supported here.")


def _check_if_match(request: HttpRequest, current: str) -> None:
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() != "*" and current not in [t.strip() for t in wanted.split(",")]:
        raise Problem(412, "The resource changed since you read it.")


def _dump(resource, context: Context, request: HttpRequest, status: int = 200) -> HttpResponse:
    full = resource.model_dump(scim_ctx=context)
    etag = etag_of(full)
    if request.method == "GET" and request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    payload = resource.model_dump(scim_ctx=context, **_attributes(request.GET))
    payload.setdefault("meta", {})["version"] = etag
    response = _json(payload, status=status, etag=etag)
    if status == 201:
        response["Location"] = payload["meta"].get("location", "")
    return response


def _page(params) -> tuple[int, int]:
    start = ascii_int(params.get("startIndex", "1"))
    count = ascii_int(params.get("count", str(MAX_RESULTS)))
    start = 1 if start is None else max(1, start)
    count = MAX_RESULTS if count is None else min(count, MAX_RESULTS)
    return start, count


def _filtered(queryset, params, attrs: dict):
    text = params.get("filter", "")
    if not isinstance(text, str):
        raise Problem(400, "The filter must be a string.", "invalidFilter")
    text = text.strip()
    if not text:
        return queryset
    if len(text) > 1000:
        raise Problem(400, "The filter is too long.", "invalidFilter")
    try:
        query = get_query(text, attrs)
    except Exception as error:
        raise Problem(400, "The filter cannot be read.", "invalidFilter") from error
    if query is None:
        raise Problem(
            400, "The filter names an attribute that cannot be filtered.", "invalidFilter"
        )
    return queryset.filter(query).distinct()


def _search_params(request: HttpRequest) -> dict:
    """A POST to ``.search`` (RFC 7644 §3.4.3) carries the query parameters in its body."""
    body = _body(request)
    params = {}
    for key in ("filter", "startIndex", "count"):
        if key in body and body[key] is not None:
            params[key] = str(body[key]) if not isinstance(body[key], str) else body[key]
    for key in ("attributes", "excludedAttributes"):
        value = body.get(key)
        if isinstance(value, list):
            params[key] = ",".join(str(item) for item in value)
        elif isinstance(value, str):
            params[key] = value
    return params


def _listing(request, queryset, attrs, to_resource, model, params=None) -> HttpResponse:
    params = request.GET if params is None else params
    start, count = _page(params)
    queryset = _filtered(queryset, params, attrs)
    try:
        total = queryset.count()
        rows = list(queryset[start - 1 : start - 1 + count]) if count else []
    except (ValueError, TypeError) as error:
        raise Problem(
            400, "The filter compares with a value of the wrong kind.", "invalidFilter"
        ) from error
    resources = [to_resource(row) for row in rows]
    listing = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(resources), resources=resources
    )
    return _json(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, **_attributes(params)))


# --- discovery --------------------------------------------------------------------------------


@scim_view
def service_provider_config(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _method_not_allowed()
    payload = CONFIG.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    payload["meta"] = {
        "resourceType": "ServiceProviderConfig",
        "location": _base(request) + "ServiceProviderConfig",
    }
    return _json(payload)


def _discovery(request, items, kind: str, key: str | None, model) -> HttpResponse:
    if request.method != "GET":
        return _method_not_allowed()
    base = _base(request)
    dumped = []
    for item in items:
        payload = item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        payload["meta"] = {"resourceType": kind, "location": f"{base}{kind}s/{payload['id']}"}
        dumped.append(payload)
    if key is not None:
        found = next((payload for payload in dumped if payload["id"] == key), None)
        if found is None:
            return _error(404, f"No such {kind}.")
        return _json(found)
    return _json(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": len(dumped),
            "startIndex": 1,
            "itemsPerPage": len(dumped),
            "Resources": dumped,
        }
    )


@scim_view
def resource_types(request: HttpRequest, key: str | None = None) -> HttpResponse:
    return _discovery(request, PROVIDER.resource_types, "ResourceType", key, ResourceType)


@scim_view
def schemas(request: HttpRequest, key: str | None = None) -> HttpResponse:
    return _discovery(request, SCHEMAS, "Schema", key, Schema)


@scim_view
def search_everything(request: HttpRequest) -> HttpResponse:
    """Searching Users and Groups at once is not offered (RFC 7644 §3.4.3 lets a service
    provider answer 501); /Users/.search and /Groups/.search are."""
    return _error(501, "Search Users or Groups on their own endpoint.")


@scim_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return _error(404, "There is no such SCIM endpoint.")


# --- Users ------------------------------------------------------------------------------------


@scim_view
def users(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    if request.method == "GET":
        return _listing(
            request, scim_people(), USER_FILTERS, lambda p: user_resource(p, base), ScimUser
        )
    if request.method != "POST":
        return _method_not_allowed()
    resource = ScimUser.model_validate(
        _user_body(request, base), scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY
    )
    outcome = scim_person_create(
        actor=request.directory_token.created_by, data=person_data(resource)
    )
    person = scim_person(str(outcome.user.pk))
    return _dump(user_resource(person, base), Context.RESOURCE_CREATION_RESPONSE, request, 201)


@scim_view
def user(request: HttpRequest, pk: str) -> HttpResponse:
    base = _base(request)
    person = scim_person(pk)
    if person is None:
        return _error(404, "No such user.")
    actor = request.directory_token.created_by
    current = user_resource(person, base)
    etag = etag_of(current.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "GET":
        return _dump(current, Context.RESOURCE_QUERY_RESPONSE, request)
    _check_if_match(request, etag)
    if request.method == "DELETE":
        scim_person_delete(actor=actor, user=person)
        return HttpResponse(status=204)
    if request.method == "PUT":
        replacement = ScimUser.model_validate(
            _user_body(request, base),
            scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST,
            scim_policy=POLICY,
        )
        replacement.replace(current)
        data = person_data(replacement)
    elif request.method == "PATCH":
        patch = PatchOp[ScimUser].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
        )
        with POLICY:
            patch.patch(current)
        data = person_data(current)
    else:
        return _method_not_allowed()
    with transaction.atomic():
        scim_person_update(actor=actor, user=person, data=data)
    person = scim_people().get(pk=person.pk)
    return _dump(user_resource(person, base), Context.RESOURCE_REPLACEMENT_RESPONSE, request)


@scim_view
def users_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _method_not_allowed()
    base = _base(request)
    return _listing(
        request,
        scim_people(),
        USER_FILTERS,
        lambda p: user_resource(p, base),
        ScimUser,
        _search_params(request),
    )


@scim_view
def groups_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _method_not_allowed()
    base = _base(request)
    params = _search_params(request)
    return _listing(
        request,
        scim_groups().prefetch_related("rows"),
        GROUP_FILTERS,
        lambda g: group_resource(g, sorted(row.user_id for row in g.rows.all()), base),
        Group,
        params,
    )


# --- Groups -----------------------------------------------------------------------------------


@scim_view
def groups(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    if request.method == "GET":
        excluded = "members" in (request.GET.get("excludedAttributes") or "")
        queryset = scim_groups() if excluded else scim_groups().prefetch_related("rows")

        def resource(group):
            ids = [] if excluded else sorted(row.user_id for row in group.rows.all())
            return group_resource(group, ids, base)

        return _listing(request, queryset, GROUP_FILTERS, resource, Group)
    if request.method != "POST":
        return _method_not_allowed()
    resource = Group.model_validate(
        _body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY
    )
    group = scim_group_create(actor=request.directory_token.created_by, data=_group_data(resource))
    return _dump(
        group_resource(group, group_member_ids(group), base),
        Context.RESOURCE_CREATION_RESPONSE,
        request,
        201,
    )


def _group_data(resource: Group):
    try:
        return group_data(resource)
    except ValueError as error:
        raise Problem(400, "A member's value is not a user id.", "invalidValue") from error


@scim_view
def group(request: HttpRequest, key: str) -> HttpResponse:
    base = _base(request)
    found = scim_group(key)
    if found is None:
        return _error(404, "No such group.")
    actor = request.directory_token.created_by
    current = group_resource(found, group_member_ids(found), base)
    etag = etag_of(current.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "GET":
        return _dump(current, Context.RESOURCE_QUERY_RESPONSE, request)
    _check_if_match(request, etag)
    if request.method == "DELETE":
        scim_group_delete(actor=actor, group=found)
        return HttpResponse(status=204)
    if request.method == "PUT":
        replacement = Group.model_validate(
            _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST, scim_policy=POLICY
        )
        replacement.replace(current)
        data = _group_data(replacement)
    elif request.method == "PATCH":
        patch = PatchOp[Group].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
        )
        with POLICY:
            patch.patch(current)
        data = _group_data(current)
    else:
        return _method_not_allowed()
    updated = scim_group_update(actor=actor, group=found, data=data)
    return _dump(
        group_resource(updated, group_member_ids(updated), base),
        Context.RESOURCE_REPLACEMENT_RESPONSE,
        request,
    )
