"""API objects for tests/test_permission_matrix.py's ``world``: the member's token, a service
token, an organisation-wide and a community webhook."""

from api.models import ApiToken
from api.webhooks.services import webhook_endpoint_create
from tests.api.conftest import make_token


def api_world(*, member, staff, coordinator, community) -> dict:
    make_token(member, ["read"], name="member's")
    make_token(staff, ["read"], name="service", kind=ApiToken.Kind.SERVICE)
    url = "http://127.0.0.1:9/hook"
    organisation = webhook_endpoint_create(actor=staff, url=url, events=["session.created"])
    of_community = webhook_endpoint_create(
        actor=coordinator, url=url, events=["session.created"], community=community
    )
    return {
        "member_token": ApiToken.objects.get(name="member's").pk,
        "service_token": ApiToken.objects.get(name="service").pk,
        "org_webhook": organisation.pk,
        "community_webhook": of_community.pk,
    }
