"""Secrets at rest: the OIDC client secret and allauth's MFA secrets (TOTP secret, recovery-code
seed) are stored sealed under the master key (communities.crypto)."""

from django.db import migrations

import communities.sealed
from communities.crypto import mfa_data_rotate


def seal_existing(apps, schema_editor):
    Organisation = apps.get_model("communities", "Organisation")
    for row in Organisation.objects.exclude(sso_client_secret=""):
        # The field seals on save; reading a value stored in clear returns it as it is.
        row.save(update_fields=["sso_client_secret"])
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        authenticator.data = mfa_data_rotate(authenticator.data)
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0007_outbox_and_heartbeat"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="sso_client_secret",
            field=communities.sealed.SecretField(
                blank=True, max_length=1000, purpose="oidc client secret", verbose_name="client secret"
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
