"""Claims per test person, like an Entra ID (tid, oid, groups) or Google Workspace (hd) tenant
would add."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def people() -> dict[str, dict]:
    with open(os.environ["OIDC_PROVIDER_PEOPLE"]) as handle:
        return {person["username"]: person for person in json.load(handle)}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "tid": "openid",
        "hd": "openid",
        # Entra's object id and group ids (Keycloak: group names), for directory sync.
        "oid": "openid",
        "groups": "openid",
    }

    def get_additional_claims(self, request):
        return dict(people().get(request.user.username, {}).get("claims", {}))
