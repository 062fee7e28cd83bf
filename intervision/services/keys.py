"""The data keys confidential text is sealed under: made when text is first written, deleted
(shredded) with what they protect."""

from django.db import transaction
from django.db.models import Exists, OuterRef

from communities.crypto import data_key_is_current, data_key_wrap
from intervision.models import Case, ContentKey, IntervisionSession


def isession_content_key(*, isession: IntervisionSession) -> ContentKey:
    """The key of the session's live items, made on first use. Two devices writing the first
    item at once get the same key: the row is claimed with a conditional update, the loser's
    fresh key is deleted. Transaction: the caller's. Idempotent."""
    if isession.content_key_id is not None:
        return isession.content_key
    key = ContentKey.objects.create_key()
    claimed = IntervisionSession.objects.filter(pk=isession.pk, content_key__isnull=True).update(
        content_key=key
    )
    if claimed:
        isession.content_key = key
        return key
    key.delete()
    isession.content_key = (
        IntervisionSession.objects.select_related("content_key").get(pk=isession.pk).content_key
    )
    return isession.content_key


def content_keys_shred(*, key_ids) -> int:
    """Delete these keys (what was sealed under them can never be read again). Only keys no
    case still uses: a case's key goes after the case. Idempotent. Returns how many."""
    deleted, _rows = (
        ContentKey.objects.filter(pk__in=[pk for pk in key_ids if pk is not None])
        .exclude(Exists(Case.objects.filter(content_key=OuterRef("pk"))))
        .delete()
    )
    return deleted


def content_keys_purge_orphans() -> int:
    """Delete keys nothing uses any more (their case or session went by another way: a group
    deleted, an account erased). Idempotent. Returns how many."""
    orphans = ContentKey.objects.exclude(
        Exists(Case.objects.filter(content_key=OuterRef("pk")))
    ).exclude(Exists(IntervisionSession.objects.filter(content_key=OuterRef("pk"))))
    deleted, _rows = orphans.delete()
    return deleted


@transaction.atomic
def content_keys_rotate() -> int:
    """Re-wrap every data key under the current master key (the text sealed under the data keys
    stays as it is). Run after putting a new FIELD_ENCRYPTION_KEY first. Transaction: one, keys
    locked. Idempotent: keys already under the current master key are left alone. Returns how
    many were re-wrapped."""
    rotated = 0
    for key in ContentKey.objects.select_for_update().order_by("pk"):
        if not data_key_is_current(key.wrapped):
            key.wrapped = data_key_wrap(key.data_key())
            key.save(update_fields=["wrapped"])
            rotated += 1
    return rotated
