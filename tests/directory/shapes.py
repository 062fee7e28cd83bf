"""Request bodies as real directories send them (recorded from their documentation and logs):
Microsoft Entra ID's provisioning service, Okta's SCIM 2.0 app, Keycloak's SCIM plugin."""

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_create_user(upn: str, object_id: str, department: str = "Finance") -> dict:
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": object_id,
        "userName": upn,
        "active": True,
        "displayName": "Fenna de Vries",
        "emails": [{"primary": True, "type": "work", "value": upn}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Fenna de Vries", "familyName": "de Vries", "givenName": "Fenna"},
        "preferredLanguage": "en-GB",
        "title": "Controller",
        ENTERPRISE: {"department": department, "manager": {"value": "m-1"}},
    }


ENTRA_DISABLE = {
    "schemas": [PATCH],
    "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
}
ENTRA_ENABLE = {
    "schemas": [PATCH],
    "Operations": [{"op": "Replace", "path": "active", "value": "True"}],
}
ENTRA_REPLACE_NO_PATH = {
    "schemas": [PATCH],
    "Operations": [
        {
            "op": "replace",
            "value": {
                "displayName": "Fenna van Dijk",
                "name.familyName": "van Dijk",
                f"{ENTERPRISE}:department": "Audit",
            },
        }
    ],
}
ENTRA_REPLACE_EMAIL = {
    "schemas": [PATCH],
    "Operations": [
        {
            "op": "Replace",
            "path": 'emails[type eq "work"].value',
            "value": "fenna.dijk@example.org",
        },
        {"op": "Add", "path": "externalId", "value": "00aa-new"},
    ],
}


def entra_create_group(name: str, object_id: str) -> dict:
    return {
        "schemas": [GROUP],
        "externalId": object_id,
        "displayName": name,
        "members": [],
        "meta": {"resourceType": "Group"},
    }


def entra_add_member(user_id: str) -> dict:
    return {
        "schemas": [PATCH],
        "Operations": [{"op": "Add", "path": "members", "value": [{"value": user_id}]}],
    }


def entra_remove_member(user_id: str) -> dict:
    return {
        "schemas": [PATCH],
        "Operations": [{"op": "Remove", "path": "members", "value": [{"value": user_id}]}],
    }


def okta_user(login: str, active: bool = True) -> dict:
    """Okta's POST and PUT: the whole user, ``active`` a boolean; a password it never needs."""
    return {
        "schemas": [USER],
        "userName": login,
        "name": {"givenName": "Okke", "familyName": "Jansen"},
        "emails": [{"primary": True, "value": login, "type": "work"}],
        "displayName": "Okke Jansen",
        "locale": "nl-NL",
        "externalId": "00u1okta",
        "groups": [],
        "password": "1mH0lL0w!",
        "active": active,
    }


def okta_group_remove_filter(user_id: str) -> dict:
    return {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{user_id}"]'}],
    }


def keycloak_user(username: str, email: str) -> dict:
    """Keycloak's SCIM plugin: username and e-mail apart, a lower-case ``emails`` entry without
    a type, ``active`` true."""
    return {
        "schemas": [USER],
        "userName": username,
        "externalId": "8c4c1b2e-kc",
        "name": {"givenName": "Kees", "familyName": "Klaassen"},
        "displayName": "Kees Klaassen",
        "emails": [{"value": email, "primary": True}],
        "active": True,
    }


def keycloak_group(name: str, member_ids: list[str]) -> dict:
    return {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": pk} for pk in member_ids],
    }
