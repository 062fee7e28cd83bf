"""Key rotation for the secrets the base layer stores sealed (communities.crypto)."""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from communities.crypto import mfa_data_is_current, mfa_data_rotate, secret_is_current
from communities.models import Organisation


@transaction.atomic
def secrets_rotate() -> dict[str, int]:
    """Seal every stored secret under the current master key: the OIDC client secret and each
    authenticator's TOTP secret / recovery-code seed (also those stored before encryption).
    Run after putting a new FIELD_ENCRYPTION_KEY first (the old one in the fallbacks).
    Transaction: one, rows locked. Idempotent: a secret already under the current key is left
    as it is. Returns how many rows were re-sealed."""
    organisation = 0
    row = Organisation.objects.select_for_update().filter(pk=1).first()
    if row is not None and row.sso_client_secret:
        # As stored (a cast is not read through the field, which would open it).
        stored = (
            Organisation.objects.filter(pk=1)
            .values_list(Cast("sso_client_secret", output_field=TextField()), flat=True)
            .get()
        )
        if not secret_is_current(stored):
            # Saving seals the plain text (read through the field) under the current key.
            Organisation.objects.filter(pk=1).update(sso_client_secret=row.sso_client_secret)
            organisation = 1
    authenticators = 0
    for authenticator in Authenticator.objects.select_for_update().filter(
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ):
        if not mfa_data_is_current(authenticator.data):
            authenticator.data = mfa_data_rotate(authenticator.data)
            authenticator.save(update_fields=["data"])
            authenticators += 1
    return {"organisation": organisation, "authenticators": authenticators}
