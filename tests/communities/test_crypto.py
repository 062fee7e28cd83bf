"""Secrets at rest: TOTP secrets and the OIDC client secret are stored sealed (AES-GCM under the
master key), and key rotation keeps everything readable: after a new key is added, old
ciphertexts still open; after `encryption_rotate`, the old key can go."""

import base64
import json
import logging

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from communities.crypto import (
    KeyUnavailable,
    data_key_new,
    data_key_unwrap,
    seal,
    secret_decrypt,
    secret_encrypt,
    unseal,
)
from communities.organisation import organisation_settings
from communities.services.organisation import organisation_update
from intervision.models import Case
from tests.factories import TOTP_SECRET, CaseFactory, StaffFactory, totp_code

pytestmark = pytest.mark.django_db

OLD = "old-key-" + "a" * 40
NEW = "new-key-" + "b" * 40
OIDC_SECRET = "oidc-client-secret-Zq81"
SSO = {"sso_issuer": "https://login.example.org/v2.0", "sso_client_id": "kennisplein"}


def stored(table: str, column: str, where: str = "") -> list[str]:
    """The column's values as the database holds them (no model field in between)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} {where} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_secret_opens_only_with_its_purpose_and_untampered():
    sealed = secret_encrypt("s3cret", purpose="one")
    assert sealed.startswith("enc1:") and "s3cret" not in sealed
    assert secret_encrypt("s3cret", purpose="one") != sealed  # a fresh nonce every time
    assert secret_decrypt(sealed, purpose="one") == "s3cret"
    with pytest.raises(KeyUnavailable):
        secret_decrypt(sealed, purpose="another")
    blob = bytearray(base64.urlsafe_b64decode(sealed[5:]))
    blob[-1] ^= 1
    tampered = "enc1:" + base64.urlsafe_b64encode(bytes(blob)).decode()
    with pytest.raises(KeyUnavailable):
        secret_decrypt(tampered, purpose="one")
    assert secret_encrypt("", purpose="one") == ""
    assert secret_decrypt("stored-before-encryption", purpose="one") == "stored-before-encryption"


def test_the_totp_secret_is_not_stored_in_clear_and_still_checks_codes():
    staff = StaffFactory()

    [data] = stored("mfa_authenticator", "data", f"WHERE user_id = {staff.pk} AND type = 'totp'")
    data = json.loads(data) if isinstance(data, str) else data
    assert TOTP_SECRET not in json.dumps(data)
    assert data["secret"].startswith("enc1:")
    authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(totp_code())


def test_the_oidc_client_secret_is_not_stored_in_clear():
    staff = StaffFactory()

    organisation_update(
        actor=staff,
        changes={
            "sso_issuer": "https://login.example.org/v2.0",
            "sso_client_id": "kennisplein",
            "sso_client_secret": OIDC_SECRET,
        },
    )

    [value] = stored("communities_organisation", "sso_client_secret")
    assert value.startswith("enc1:") and OIDC_SECRET not in value
    assert organisation_settings().sso.client_secret == OIDC_SECRET


@override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_ENCRYPTION_KEY_FALLBACKS=[])
def test_rotation_keeps_everything_readable_and_frees_the_old_key(caplog):
    staff = StaffFactory()
    organisation_update(actor=staff, changes={**SSO, "sso_client_secret": OIDC_SECRET})
    case = CaseFactory(title="Mijn casus", question="Hoe doe ik dat?", pitch="Kort.")
    totp_before = stored("mfa_authenticator", "data", "WHERE type = 'totp'")
    sealed_title = stored("intervision_case", "title")

    def everything_reads() -> None:
        assert organisation_settings().sso.client_secret == OIDC_SECRET
        assert Case.objects.get(pk=case.pk).title == "Mijn casus"
        authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
        # What allauth checks codes against (a code itself is accepted only once).
        assert get_mfa_adapter().decrypt(authenticator.data["secret"]) == TOTP_SECRET

    # A new key first, the old one as a fallback: what the old key sealed still opens.
    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_FALLBACKS=[OLD]):
        everything_reads()
        call_command("encryption_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert stored("mfa_authenticator", "data", "WHERE type = 'totp'") != totp_before
        assert stored("intervision_case", "title") == sealed_title  # data keys re-wrapped only
        call_command("encryption_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # After the rotation the old key can go.
    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_FALLBACKS=[]):
        everything_reads()

    # Without the key nothing opens: the case says so, the page-wide settings read empty.
    with override_settings(FIELD_ENCRYPTION_KEY="third-" + "c" * 40):
        with pytest.raises(KeyUnavailable):
            Case.objects.get(pk=case.pk).title  # noqa: B018
        caplog.set_level(logging.ERROR)
        assert organisation_settings().sso.client_secret == ""
        assert "does not open with the configured keys" in caplog.text


def test_without_a_field_key_the_master_key_comes_from_the_secret_key_and_its_fallbacks(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.SECRET_KEY = "first-secret-key-" + "x" * 40
    sealed = secret_encrypt("s3cret", purpose="p")
    key, wrapped = data_key_new()

    settings.SECRET_KEY = "second-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["first-secret-key-" + "x" * 40]
    assert secret_decrypt(sealed, purpose="p") == "s3cret"
    assert data_key_unwrap(wrapped) == key

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(KeyUnavailable):
        secret_decrypt(sealed, purpose="p")


def test_rotation_seals_secrets_stored_before_encryption():
    staff = StaffFactory()
    organisation_update(actor=staff, changes=SSO)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE communities_organisation SET sso_client_secret = %s", [OIDC_SECRET])
    Authenticator.objects.filter(user=staff, type="totp").update(data={"secret": TOTP_SECRET})

    call_command("encryption_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115

    [value] = stored("communities_organisation", "sso_client_secret")
    assert value.startswith("enc1:")
    data = Authenticator.objects.get(user=staff, type="totp").data
    assert data["secret"].startswith("enc1:")
    assert TOTP(Authenticator.objects.get(user=staff, type="totp")).validate_code(totp_code())
    assert organisation_settings().sso.client_secret == OIDC_SECRET


@given(text=st.text(max_size=2000), purpose=st.text(min_size=1, max_size=40))
@hypothesis_settings(max_examples=200, deadline=None)
def test_every_text_comes_back_exactly_and_never_shows_in_its_ciphertext(text, purpose):
    sealed = secret_encrypt(text, purpose=purpose)
    assert secret_decrypt(sealed, purpose=purpose) == text
    key, _wrapped = data_key_new()
    blob = seal(key, text, purpose=purpose)
    assert unseal(key, blob, purpose=purpose) == text
    if len(text) >= 8:
        assert text.encode() not in blob and text not in sealed
