"""Festival rows for tests/test_personal_data.py's ``people``: the member has data in
every festival relation to the user, the other person has some too (so leaks would show)."""

from datetime import UTC, datetime

from events.models import Stand, StandMaterial
from tests.events.festivals.festival_helpers import make_festival, make_proposal
from tests.factories import (
    ProgrammeVersionFactory,
    ProposalReviewFactory,
    SessionFactory,
    SessionFeedbackFactory,
    SpeakerProfileFactory,
    UserFactory,
)

PUBLISHED = datetime(2030, 4, 1, 9, 0, tzinfo=UTC)


def plant(member, other) -> dict:
    festival = make_festival(
        organiser=member, reviewers=[member, other], name="Kennisfestival 2030", slug="kf-2030"
    )
    mine = make_proposal(festival, member, title="Mijn verhaal", state="submitted")
    theirs = make_proposal(festival, other, title="Gedeeld verhaal", state="submitted")
    theirs.co_speakers.add(member)
    review = ProposalReviewFactory(proposal=theirs, reviewer=member, score=4, comment="Ja")
    # The other person reviews a third person's proposal: erasing the member (whose own proposals
    # go, with their reviews) leaves it alone.
    third = make_proposal(festival, UserFactory(email="fe-third@example.org"), title="Derde")
    ProposalReviewFactory(proposal=third, reviewer=other, score=2, comment="Renamed by Otto")
    ProgrammeVersionFactory(
        festival=festival, number=1, published_by=member, published_at=PUBLISHED
    )
    talk = SessionFactory(community=None, festival=festival, title="Festivalsessie")
    feedback = SessionFeedbackFactory(session=talk, user=member, score=5, remark="Top")
    SessionFeedbackFactory(session=talk, user=other, score=1, remark="Renamed by Otto")
    profile = SpeakerProfileFactory(user=member, bio="Data-analist.")
    SpeakerProfileFactory(user=other, bio="Otto spreekt.")
    stand = Stand.objects.create(festival=festival, title="Stand Data", place="Hal A")
    stand.hosts.add(member)
    material = StandMaterial.objects.create(
        stand=stand, category="tools", title="Checklist", url="https://example.org/c",
        added_by=member,
    )  # fmt: skip
    other_stand = Stand.objects.create(festival=festival, title="Stand Otto", place="Hal B")
    other_stand.hosts.add(other)
    return {
        "fe_material": material,
        "fe_profile": profile,
        "fe_proposal": mine,
        "fe_theirs": theirs,
        "fe_review": review,
        "fe_feedback": feedback,
    }


def expected_export(mine: dict) -> dict:
    return {
        "festival_roles": [{"festival": "Kennisfestival 2030", "roles": ["organiser", "reviewer"]}],
        "festival_proposals": [
            {
                "festival": "Kennisfestival 2030",
                "title": "Mijn verhaal",
                "abstract": "About it.",
                "type": "talk",
                "state": "submitted",
                "speaker": True,
                "sent_at": mine["fe_proposal"].created_at.isoformat(),
            },
            {
                "festival": "Kennisfestival 2030",
                "title": "Gedeeld verhaal",
                "abstract": "About it.",
                "type": "talk",
                "state": "submitted",
                "speaker": False,
                "sent_at": mine["fe_theirs"].created_at.isoformat(),
            },
        ],
        "festival_reviews": [
            {
                "proposal": "Gedeeld verhaal",
                "score": 4,
                "comment": "Ja",
                "reviewed_at": mine["fe_review"].updated_at.isoformat(),
            }
        ],
        "festival_co_speaking": [{"proposal": "Gedeeld verhaal", "confirmed_at": None}],
        "speaker_page": [
            {
                "bio": "Data-analist.",
                "photo": None,
                "updated_at": mine["fe_profile"].updated_at.isoformat(),
            }
        ],
        "festival_feedback": [
            {
                "session": "Festivalsessie",
                "score": 5,
                "remark": "Top",
                "given_at": mine["fe_feedback"].updated_at.isoformat(),
            }
        ],
        "festival_programmes_published": [
            {"festival": "Kennisfestival 2030", "version": 1, "published_at": PUBLISHED.isoformat()}
        ],
        "festival_stands_hosted": [
            {"festival": "Kennisfestival 2030", "stand": "Stand Data", "place": "Hal A"}
        ],
        "festival_stand_material": [
            {
                "stand": "Stand Data",
                "title": "Checklist",
                "url": "https://example.org/c",
                "added_at": mine["fe_material"].created_at.isoformat(),
            }
        ],
    }


SECTIONS = {
    "festival_roles",
    "festival_proposals",
    "festival_reviews",
    "festival_programmes_published",
    "festival_feedback",
    "speaker_page",
    "festival_co_speaking",
    "festival_stands_hosted",
    "festival_stand_material",
}

RELATIONS = {
    ("events.Festival", "organisers"),
    ("events.Festival", "reviewers"),
    ("events.Proposal", "speaker"),
    ("events.Proposal", "co_speakers"),
    ("events.ProposalReview", "reviewer"),
    ("events.ProgrammeVersion", "published_by"),
    ("events.SessionFeedback", "user"),
    ("events.SpeakerProfile", "user"),
    ("events.ProposalCoSpeaker", "user"),
    ("events.Stand", "hosts"),
    ("events.StandMaterial", "added_by"),
}
