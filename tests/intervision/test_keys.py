"""The data keys of case text and live items: one per case and per session, made once even when
two devices write at the same moment, deleted with what they protect (withdrawal, close,
erasure) and swept when something else removed their owner."""

import pytest

from communities.crypto import KeyUnavailable, unseal
from communities.services.accounts import account_erase
from intervision.models import Case, ContentKey, IntervisionSession, LiveItem
from intervision.services.cases import case_submit, case_withdraw
from intervision.services.closing import presenter_copies_purge
from intervision.services.keys import content_keys_purge_orphans, isession_content_key
from tests.factories import CaseFactory, IntervisionSessionFactory, LiveItemFactory

pytestmark = pytest.mark.django_db


def submit(group, user, title="Grenzen"):
    return case_submit(
        group=group.community,
        user=user,
        title=title,
        question="Hoe stel ik grenzen?",
        pitch="Het team vraagt veel.",
        urgency=3,
        no_client_data=True,
    )


def test_each_case_has_its_own_key_and_the_column_holds_only_ciphertext(group):
    first, second = submit(group, group.members[1]), submit(group, group.members[2], "Tijd")

    assert first.content_key_id != second.content_key_id
    raw = Case.objects.values_list("title", flat=True).get(pk=first.pk)
    assert b"Grenzen" not in bytes(raw)
    key = ContentKey.objects.get(pk=first.content_key_id).data_key()
    assert unseal(key, raw, purpose="intervision.case.title") == "Grenzen"
    with pytest.raises(KeyUnavailable):  # bound to its column: no copying it into another
        unseal(key, raw, purpose="intervision.case.question")
    assert Case.objects.get(pk=second.pk).title == "Tijd"


def test_two_devices_writing_the_first_item_at_once_share_one_key():
    isession = IntervisionSessionFactory()
    stale = IntervisionSession.objects.get(pk=isession.pk)  # read before the other one wrote

    mine = isession_content_key(isession=isession)
    theirs = isession_content_key(isession=stale)

    assert theirs.pk == mine.pk
    assert ContentKey.objects.count() == 1
    assert IntervisionSession.objects.get(pk=isession.pk).content_key_id == mine.pk


def test_withdrawing_a_case_deletes_its_key(group):
    case = submit(group, group.members[1])

    case_withdraw(case_id=case.pk, user=group.members[1])

    assert not ContentKey.objects.filter(pk=case.content_key_id).exists()


def test_erasing_a_person_deletes_the_keys_of_their_cases(group):
    mine, theirs = submit(group, group.members[1]), submit(group, group.members[2])

    account_erase(user=group.members[1])

    assert list(ContentKey.objects.values_list("pk", flat=True)) == [theirs.content_key_id]
    assert not ContentKey.objects.filter(pk=mine.content_key_id).exists()


def test_keys_whose_case_or_session_went_another_way_are_swept():
    item = LiveItemFactory()
    CaseFactory()
    kept = ContentKey.objects.count()
    Case.objects.all().delete()  # e.g. the group was deleted
    item.isession.session.delete()  # the session was deleted: its intervision side goes too

    assert kept == 2
    assert LiveItem.objects.count() == 0
    assert presenter_copies_purge() == 0  # the intervision sweep
    assert ContentKey.objects.count() == 0
    assert content_keys_purge_orphans() == 0
