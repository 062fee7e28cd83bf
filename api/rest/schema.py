"""The OpenAPI schema as the API answers: lists are cursor pages, and every operation documents
its problem-details answers (RFC 9457)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
        "retry_after": {"type": "number", "nullable": True},
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_RESPONSE = {
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
PROBLEMS = {
    "400": "Invalid input",
    "401": "No valid token",
    "403": "The token lacks the scope",
    "404": "Not found, or not visible to the caller",
    "406": "Not acceptable",
    "422": "Refused by a rule (nothing changed)",
    "429": "Too many requests for this token",
}
WRITE_PROBLEMS = {"415": "Unsupported media type"}


class ApiSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        return self.method == "GET" and getattr(self.view, "list_view", False)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        problems = dict(PROBLEMS)
        if self.method in ("POST", "PUT", "PATCH"):
            problems.update(WRITE_PROBLEMS)
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified (If-None-Match)"})
        for code, description in problems.items():
            responses.setdefault(code, {"description": description, **PROBLEM_RESPONSE})
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.rest.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from /me/tokens/"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.rest.authentication.ReadOnlySessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
