"""The data keys of confidential intervision text (crypto-shredding).

Each case and each session's live items are sealed under a key of their own, stored here wrapped
by the master key (``communities.crypto``). Closing a session deletes the keys of its selected
case and of its live items, so any copy of their ciphertext left in the database's files, its
WAL or a backup can no longer be read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.crypto import data_key_new, data_key_unwrap


class ContentKeyManager(models.Manager):
    def create_key(self) -> "ContentKey":
        key, wrapped = data_key_new()
        row = self.create(wrapped=wrapped)
        row._data_key = key
        return row


class ContentKey(models.Model):
    """One data key, wrapped (AES-GCM under the master key). Never shown, never exported."""

    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentKeyManager()

    class Meta:
        verbose_name = _("content key")
        verbose_name_plural = _("content keys")

    def __str__(self) -> str:
        return f"key {self.pk}"

    def data_key(self) -> bytes:
        key = getattr(self, "_data_key", None)
        if key is None:
            key = self._data_key = data_key_unwrap(self.wrapped)
        return key
