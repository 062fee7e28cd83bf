"""The intervision objects of the permission matrix's ``world``.

The matrix's ``member`` is a plain member of the group "Intervisie Matrix", its ``coordinator``
the group's facilitator; everybody else is outside it. Pia presents the scheduled session and
asked ``member`` to swap; ``member`` brought in a case.
"""

from datetime import timedelta

from django.utils import timezone

from events.sessions.services.scheduling import SessionDetails
from intervision.models import Method
from intervision.services.groups import agreement_accept
from intervision.services.scheduling import intervision_schedule, swap_request
from tests.factories import CaseFactory, IntervisionGroupFactory, MembershipFactory, UserFactory
from tests.intervision.conftest import ensure_catalogue


def intervision_world(*, member, coordinator) -> dict:
    ensure_catalogue()
    group = IntervisionGroupFactory(name="Intervisie Matrix", slug="intervisie-matrix")
    pia = UserFactory(email="pia@example.org", display_name="Pia Presenter")
    MembershipFactory(user=coordinator, community=group, role="facilitator")
    for person in (member, pia):
        MembershipFactory(user=person, community=group)
    for person in (coordinator, member, pia):
        agreement_accept(group=group, user=person)
    start = timezone.now() + timedelta(days=10)
    method = Method.objects.get(code="kollegiale-beratung", group=None)
    isession = intervision_schedule(
        group=group,
        actor=coordinator,
        details=SessionDetails(
            title="Intervisie",
            format="intervision",
            start=start,
            end=start + timedelta(hours=2),
            location="Kamer 1",
        ),
        method_id=method.pk,
        presenter_id=pia.pk,
        facilitator_id=coordinator.pk,
    )
    swap = swap_request(isession=isession, actor=pia, asked_id=member.pk)
    case = CaseFactory(
        group=group,
        isession=isession,
        presenter=member,
        title="Matrix",
        question="Hoe doe ik dat?",
        pitch="Kort.",
    )
    return {
        "iv_slug": group.slug,
        "iv_session": isession.session_id,
        "iv_method": method.pk,
        "iv_case": case.pk,
        "iv_swap": swap.pk,
    }
