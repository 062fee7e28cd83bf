"""Directory sync: provisioning N people through SCIM (POST /scim/v2/Users with Entra's
payload: token, throttle, scim2-models validation, the service, the audit entry, the answer)
vs inserting the same people with the ORM (a user row and its directory account per person),
in the same run. The issue asks for the ratio; it sets no goal.

N = 10 × scale (the default scale 10 gives 100 people, well within a minute; ``--scale 500``
gives the issue's 5,000)."""

import json
import time

from django.test import Client, override_settings

from bench.measure import Context, Figure
from communities.models import User
from directory.models import DirectoryAccount
from directory.services.tokens import directory_token_create

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _payload(n: int, prefix: str) -> dict:
    address = f"{prefix}{n:05d}@gemeente.example"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": f"{prefix}-oid-{n:05d}",
        "userName": address,
        "active": True,
        "displayName": f"Persoon {n:05d}",
        "emails": [{"primary": True, "type": "work", "value": address}],
        "name": {"givenName": "Persoon", "familyName": f"{n:05d}"},
        "preferredLanguage": "nl-NL",
        ENTERPRISE: {"department": "Burgerzaken"},
    }


def run(context: Context) -> list[Figure]:
    count = 10 * context.scale
    staff = User.objects.create_user(email="bench-staff@gemeente.example", is_staff=True)
    secret = directory_token_create(actor=staff, name="bench").secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1")

    def through_scim() -> None:
        for n in range(count):
            response = client.post(
                "/scim/v2/Users",
                data=json.dumps(_payload(n, "scim")),
                content_type="application/scim+json",
            )
            assert response.status_code == 201, response.content[:300]

    def with_the_orm() -> None:
        for n in range(count):
            payload = _payload(n, "orm")
            user = User.objects.create_user(
                email=payload["userName"],
                display_name=payload["displayName"],
                language="nl",
                team="Burgerzaken",
            )
            DirectoryAccount.objects.create(
                user=user,
                user_name=payload["userName"],
                external_id=payload["externalId"],
                display_name=payload["displayName"],
            )

    context.log(f"scim: provisioning {count} people through SCIM")
    with override_settings(DIRECTORY_SCIM_REQUESTS_PER_MINUTE=10**9):
        started = time.perf_counter()
        through_scim()
        scim_seconds = time.perf_counter() - started
    context.log(f"scim: inserting {count} people with the ORM")
    started = time.perf_counter()
    with_the_orm()
    orm_seconds = time.perf_counter() - started
    assert DirectoryAccount.objects.count() == 2 * count
    return [
        Figure(
            "scim.provision",
            count / scim_seconds,
            count / orm_seconds,
            "req/s",
            note=(
                f"{count} POST /scim/v2/Users (Entra's payload) vs create_user + its directory "
                f"account with the ORM; {scim_seconds:.1f} s vs {orm_seconds:.1f} s"
            ),
            details={"people": count, "scim_s": scim_seconds, "orm_s": orm_seconds},
        )
    ]
