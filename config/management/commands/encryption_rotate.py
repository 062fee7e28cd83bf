"""`manage.py encryption_rotate`: seal everything stored encrypted under the current master key.

Rotation: set the new key as FIELD_ENCRYPTION_KEY and the old one in
FIELD_ENCRYPTION_KEY_FALLBACKS, deploy, run this command, then remove the old key. It re-wraps the
intervision data keys and re-seals the OIDC client secret and the MFA secrets (also any stored
before encryption was introduced). Running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from communities.audit.services import audit_record
from communities.organisation import organisation_row
from communities.services.secrets import secrets_rotate
from intervision.services.keys import content_keys_rotate


class Command(BaseCommand):
    help = "Re-seal stored secrets and re-wrap data keys under the current FIELD_ENCRYPTION_KEY."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            secrets = secrets_rotate()
            keys = content_keys_rotate()
            changed = secrets["organisation"] + secrets["authenticators"] + keys
            if changed:
                audit_record(
                    actor=None,
                    action="secrets.rotate",
                    target=organisation_row(),
                    detail=f"organisation={secrets['organisation']} "
                    f"authenticators={secrets['authenticators']} content_keys={keys}",
                )
        self.stdout.write(
            f"organisation secret: {secrets['organisation']}, "
            f"authenticators: {secrets['authenticators']}, data keys: {keys}"
        )
