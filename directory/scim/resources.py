"""Between the database and SCIM's resources (scim2-models does the protocol: validation,
PATCH, serialisation; this module only maps fields)."""

import hashlib
import json

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Email,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Meta,
    Name,
    Patch,
    ResourceType,
    Schema,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)

from communities.models import User as Person
from directory.models import DirectoryGroup
from directory.services.groups import GroupData
from directory.services.people import PersonData

ScimUser = User[EnterpriseUser]
ENTERPRISE = str(EnterpriseUser.__schema__)
MAX_RESULTS = 200

# What real directories send: Entra's PATCH ``remove`` with a value and its filters on entries
# that do not exist yet; unknown attributes (Okta's, Keycloak's) are dropped, never stored.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    authentication_schemes=[
        AuthenticationScheme(
            type="oauthbearertoken",
            name="Directory token",
            description="A bearer token staff make at /organisation/directory/.",
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, Group],
    resource_types=[ResourceType.from_resource(ScimUser), ResourceType.from_resource(Group)],
    config=CONFIG,
    policy=POLICY,
)


def etag_of(payload: dict) -> str:
    body = {key: value for key, value in payload.items() if key != "meta"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


def user_resource(person: Person, base: str) -> ScimUser:
    """A person as SCIM shows them: what the directory sent (as it sent it) where it sent
    something, else what the account holds (people who signed up before directory sync)."""
    account = getattr(person, "directory_account", None)
    if account is None:
        user_name, display, formatted, given, family = person.email, person.display_name, "", "", ""
        language, external_id, manager = person.language, "", ""
        modified = person.date_joined
    else:
        user_name = account.user_name or person.email
        display, formatted = account.display_name, account.formatted_name
        given, family = account.given_name, account.family_name
        language, external_id, manager = (
            account.preferred_language,
            account.external_id,
            account.manager,
        )
        modified = account.updated_at
    name = Name(formatted=formatted or None, given_name=given or None, family_name=family or None)
    resource = ScimUser(
        id=str(person.pk),
        external_id=external_id or None,
        user_name=user_name,
        display_name=display or None,
        name=name if (formatted or given or family) else None,
        preferred_language=language or None,
        active=person.is_active,
        emails=_emails(person, account),
        groups=[
            GroupMembership(
                value=str(row.group.scim_id), display=row.group.display_name, type="direct"
            )
            for row in person.directory_group_rows.all()
            if row.group.source == DirectoryGroup.Source.SCIM
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=modified,
            location=f"{base}Users/{person.pk}",
        ),
    )
    if person.team or manager:
        resource[EnterpriseUser] = EnterpriseUser(
            department=person.team or None,
            manager=Manager(value=manager, ref=account.manager_ref or None) if manager else None,
        )
    return resource


def _emails(person: Person, account) -> list[Email]:
    """The addresses as the directory sent them (the login one among them), else the login."""
    sent = account.emails if account is not None else []
    if sent and any(str(entry.get("value", "")).lower() == person.email for entry in sent):
        return [Email.model_validate(entry) for entry in sent]
    return [Email(value=person.email, type="work", primary=True)]


def person_data(resource: ScimUser) -> PersonData:
    """What a validated SCIM user says about the person."""
    emails = resource.emails or []
    chosen = (
        next((email for email in emails if email.primary), None)
        or next((email for email in emails if (email.type or "") == "work"), None)
        or (emails[0] if emails else None)
    )
    user_name = resource.user_name or ""
    email = (chosen.value if chosen and chosen.value else "") or user_name
    name = resource.name
    extension = resource[EnterpriseUser]
    manager = extension.manager.value if extension and extension.manager else ""
    manager_ref = extension.manager.ref if extension and extension.manager else ""
    return PersonData(
        user_name=user_name,
        email=str(email),
        external_id=resource.external_id or "",
        display_name=resource.display_name or "",
        formatted_name=(name.formatted if name else "") or "",
        given_name=(name.given_name if name else "") or "",
        family_name=(name.family_name if name else "") or "",
        language=resource.preferred_language or resource.locale or "",
        team=(extension.department if extension else "") or "",
        manager=manager or "",
        manager_ref=str(manager_ref or ""),
        emails=tuple(
            {
                key: value
                for key, value in entry.model_dump(mode="json").items()
                if value is not None
            }
            for entry in emails
        ),
        active=True if resource.active is None else bool(resource.active),
    )


def group_resource(group: DirectoryGroup, member_ids: list[int], base: str) -> Group:
    return Group(
        id=str(group.scim_id),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[GroupMember(value=str(pk), ref=f"{base}Users/{pk}") for pk in member_ids] or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}Groups/{group.scim_id}",
        ),
    )


def group_data(resource: Group) -> GroupData:
    ids = []
    for member in resource.members or []:
        value = str(member.value or "")
        if not (value.isascii() and value.isdigit() and len(value) < 18):
            raise ValueError(value)
        ids.append(int(value))
    return GroupData(
        display_name=resource.display_name or "",
        external_id=resource.external_id or "",
        member_ids=tuple(ids),
    )


# What this service keeps of each resource; the published schemas list only these, so a
# directory (and a checker) never sends what would be dropped. A person needs an e-mail
# address (it is their login): ``emails`` is required.
SUPPORTED = {
    "urn:ietf:params:scim:schemas:core:2.0:User": {
        "userName": None,
        "name": {"formatted", "familyName", "givenName"},
        "displayName": None,
        "preferredLanguage": None,
        "active": None,
        "emails": {"value", "type", "primary"},
        "groups": None,
    },
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "department": None,
        "manager": {"value", "$ref"},
    },
    "urn:ietf:params:scim:schemas:core:2.0:Group": {
        "displayName": None,
        "members": {"value", "$ref"},
    },
}


def _published_schemas() -> list[Schema]:
    published = []
    for schema in PROVIDER.schemas:
        schema = schema.model_copy(deep=True)
        kept = SUPPORTED.get(schema.id, {})
        schema.attributes = [a for a in schema.attributes or [] if a.name in kept]
        for attribute in schema.attributes:
            subs = kept[attribute.name]
            if subs is not None and attribute.sub_attributes:
                attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
            if schema.id == USER_SCHEMA and attribute.name == "emails":
                attribute.required = True
                for sub in attribute.sub_attributes or []:
                    if sub.name == "value":
                        sub.required = True
        published.append(schema)
    return published


USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
SCHEMAS = _published_schemas()
