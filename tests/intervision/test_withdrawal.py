"""A leaver leaves the rotas: in upcoming intervision sessions they present, facilitate or keep
time, someone else is picked (or nobody, for the timekeeper); pending swaps are declined."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from communities.services.accounts import person_withdrawal_preview, user_deactivate
from intervision.models import IntervisionSession, SwapRequest
from tests.factories import (
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_deactivation_takes_the_leaver_out_of_the_rota():
    group = IntervisionGroupFactory(name="Intervisie Noord")
    leaver, other, lead = (UserFactory(email=f"{n}@example.org") for n in ("lea", "olaf", "lia"))
    MembershipFactory(user=lead, community=group, role="facilitator")
    for person in (leaver, other):
        MembershipFactory(user=person, community=group)
    start = timezone.now() + timedelta(days=10)
    isession = IntervisionSessionFactory(
        group=group, presenter=leaver, timekeeper=leaver,
        session__start=start, session__end=start + timedelta(hours=2),
    )  # fmt: skip
    swap = SwapRequest.objects.create(isession=isession, requested_by=leaver, asked=other)

    with translation.override("en"):
        preview = person_withdrawal_preview(user=leaver)
    assert any("They leave the rota: 1 upcoming intervision session" in line for line in preview)

    user_deactivate(actor=StaffFactory(), user=leaver)

    isession = IntervisionSession.objects.get(pk=isession.pk)
    assert isession.presenter_id in (other.pk, lead.pk)
    assert isession.timekeeper_id is None
    swap.refresh_from_db()
    assert swap.state == "declined"
