"""The workplace-learning objects of the permission matrix's ``world``.

The matrix's ``member`` is the newcomer of a journey (buddy Bea, supervisor Sem) whose template
belongs to the public community the ``coordinator`` runs; the private community has a template
and a pairing programme too. There is the organisation's pairing programme, a shadowing day
hosted by the coordinator, and a statement of the member's with its verification token.
"""

from datetime import timedelta

from django.utils import timezone

from learning.journeys.services import journey_start, journey_step_add, journey_template_create
from learning.pairing.models import PairingProgramme
from learning.record.services import statement_issue
from learning.record.signing import statement_token
from learning.shadowing.services import shadowing_offer_create, shadowing_slot_add
from tests.factories import MembershipFactory, UserFactory


def learning_world(*, member, coordinator, community, private_community) -> dict:
    bea = UserFactory(email="bea@example.org", display_name="Bea Buddy")
    sem = UserFactory(email="sem@example.org", display_name="Sem Supervisor")
    for person in (bea, sem):
        MembershipFactory(user=person, community=community)
    template = journey_template_create(actor=coordinator, community=community, title="Welkom")
    journey_step_add(
        template_id=template.pk, actor=coordinator, day_offset=0, kind="meet", title="Koffie"
    )
    journey = journey_start(
        template_id=template.pk,
        actor=coordinator,
        newcomer_id=member.pk,
        buddy_id=bea.pk,
        supervisor_id=sem.pk,
        start_date=timezone.localdate(),
    )
    private_template = journey_template_create(
        actor=coordinator, community=private_community, title="Welkom bij Security"
    )
    organisation = PairingProgramme.objects.create(
        name="Koffie", cadence_weeks=4, next_round_on=timezone.localdate() + timedelta(days=7)
    )
    private_programme = PairingProgramme.objects.create(
        community=private_community,
        name="Koffie Security",
        cadence_weeks=2,
        next_round_on=timezone.localdate() + timedelta(days=7),
    )
    offer = shadowing_offer_create(
        host=coordinator, team="Python", title="Meelopen", description="d", location="Zaal 1"
    )
    start = timezone.now() + timedelta(days=5)
    slot = shadowing_slot_add(
        offer_id=offer.pk, actor=coordinator, start=start, end=start + timedelta(hours=4),
        capacity=2, zone="Europe/Amsterdam",
    )  # fmt: skip
    statement = statement_issue(
        user=member,
        period_start=timezone.localdate() - timedelta(days=365),
        period_end=timezone.localdate(),
    )
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    return {
        "lj_template": template.pk,
        "lj_private_template": private_template.pk,
        "lj_journey": journey.pk,
        "lj_progress": journey.progress.get().pk,
        "lj_programme": organisation.pk,
        "lj_private_programme": private_programme.pk,
        "lj_offer": offer.pk,
        "lj_slot": slot.pk,
        "lj_statement": statement.pk,
        "lj_token": token,
        "lj_bad_token": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    }
