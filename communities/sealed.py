"""A text column stored encrypted under the row's own data key (crypto-shredding).

``SealedTextField(key_path="content_key")`` reads and writes ``str`` like a ``TextField``; the
database holds only AES-GCM ciphertext (bytea). The key is the object at ``key_path`` (an
attribute path from the row, such as ``"isession.content_key"``), which has a ``data_key()``
method returning the unwrapped key. Delete that key row and the ciphertext, wherever a copy of
it lies, cannot be read any more. The column cannot be searched or ordered by.

``SecretField(purpose=...)`` is a ``CharField`` whose value is stored sealed under the master key
itself: for secrets that must survive (an OIDC client secret), not be shredded.
"""

import logging

from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from communities.crypto import (
    SECRET_PREFIX,
    KeyUnavailable,
    seal,
    secret_decrypt,
    secret_encrypt,
    unseal,
)

logger = logging.getLogger(__name__)


class _Plain(str):
    """Text set by code, not yet sealed (the marker that tells it from ciphertext)."""


def _key_of(instance, path: str):
    target = instance
    for part in path.split("."):
        target = getattr(target, part)
        if target is None:
            raise ValueError(f"{type(instance).__name__} has no key at {path}")
    return target


class _SealedAttribute(DeferredAttribute):
    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if value is None or isinstance(value, str):
            return value
        field = self.field
        text = _Plain(
            unseal(_key_of(instance, field.key_path).data_key(), value, purpose=field.purpose)
        )
        instance.__dict__[field.attname] = _CachedPlain(text, bytes(value))
        return str(text)

    def __set__(self, instance, value):
        if isinstance(value, memoryview):
            value = bytes(value)
        elif isinstance(value, str) and not isinstance(value, _Plain):
            value = _Plain(value)
        instance.__dict__[self.field.attname] = value


class _CachedPlain(_Plain):
    """Text read from the database: saved again unchanged, its ciphertext is kept as it was."""

    def __new__(cls, text: str, sealed: bytes):
        obj = super().__new__(cls, text)
        obj.sealed = sealed
        return obj


class SealedTextField(models.BinaryField):
    descriptor_class = _SealedAttribute

    def __init__(self, *args, key_path: str, **kwargs):
        self.key_path = key_path
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    @property
    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs["key_path"] = self.key_path
        kwargs.pop("editable", None)
        return name, "communities.sealed.SealedTextField", args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.max_length is not None:
            errors.append(
                checks.Error(
                    "SealedTextField checks its length in the service, not here.", obj=self
                )
            )
        return errors

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, _CachedPlain):
            return value.sealed
        if isinstance(value, str):
            key = _key_of(model_instance, self.key_path).data_key()
            return seal(key, str(value), purpose=self.purpose)
        return value

    def value_from_object(self, obj):
        return getattr(obj, self.attname)

    def to_python(self, value):
        return value


class SecretField(models.CharField):
    """A secret (an OIDC client secret, an API key) stored sealed under the master key
    (``communities.crypto.secret_encrypt``); code reads and writes the plain text. A value the
    configured keys cannot open reads as empty, logged, rather than stopping every page that
    loads its row."""

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, "communities.sealed.SecretField", args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return secret_decrypt(value, purpose=self.purpose)
        except KeyUnavailable:
            logger.error("A stored %s does not open with the configured keys.", self.purpose)
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or value.startswith(SECRET_PREFIX):
            return value
        return secret_encrypt(value, purpose=self.purpose)
