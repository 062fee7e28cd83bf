"""Post-processing of the generated schema: the problem-details component, and OpenAPI links
from a created session to what can be done with it next (clients and stateful tests follow
them)."""

from api.rest.schema import PROBLEM

SESSION_LINKS = {
    "GetSession": "sessions_retrieve",
    "UpdateSession": "sessions_partial_update",
    "CancelSession": "sessions_cancel_create",
    "AnswerSession": "sessions_rsvp_update",
    "ReadAnswer": "sessions_rsvp_retrieve",
}


def add_problem_component(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    links = {
        name: {"operationId": operation, "parameters": {"session_id": "$response.body#/id"}}
        for name, operation in SESSION_LINKS.items()
    }
    created = result["paths"]["/api/v1/sessions/"]["post"]["responses"]["201"]
    created["links"] = links
    for path in ("/api/v1/sessions/{session_id}/", "/api/v1/sessions/{session_id}/rsvp/"):
        for method, operation in result["paths"][path].items():
            answer = operation["responses"].get("200")
            if answer and method in ("get", "patch", "put"):
                answer["links"] = links
    return result
