"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.models import User
from communities.personal_data import iso, register
from events.models import (
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalCoSpeaker,
    ProposalReview,
    SessionFeedback,
    SpeakerProfile,
    Stand,
    StandMaterial,
)


def _export_stands_hosted(user: User) -> list[dict]:
    return [
        {"festival": s.festival.name, "stand": s.title, "place": s.place}
        for s in Stand.objects.filter(hosts=user).select_related("festival").order_by("pk")
    ]


def _export_stand_material(user: User) -> list[dict]:
    return [
        {"stand": m.stand.title, "title": m.title, "url": m.url, "added_at": iso(m.created_at)}
        for m in StandMaterial.objects.filter(added_by=user).select_related("stand").order_by("pk")
    ]


def _export_festival_roles(user: User) -> list[dict]:
    festivals = Festival.objects.filter(organisers=user) | Festival.objects.filter(reviewers=user)
    rows = []
    for festival in festivals.distinct().prefetch_related("organisers", "reviewers").order_by("pk"):
        roles = []
        if user in festival.organisers.all():
            roles.append("organiser")
        if user in festival.reviewers.all():
            roles.append("reviewer")
        rows.append({"festival": festival.name, "roles": roles})
    return rows


def _export_festival_proposals(user: User) -> list[dict]:
    proposals = Proposal.objects.filter(speaker=user) | Proposal.objects.filter(co_speakers=user)
    return [
        {
            "festival": p.festival.name,
            "title": p.title,
            "abstract": p.abstract,
            "type": p.session_type,
            "state": p.state,
            "speaker": p.speaker_id == user.pk,
            "sent_at": iso(p.created_at),
        }
        for p in proposals.distinct().select_related("festival").order_by("pk")
    ]


def _erase_festival_proposals(user: User) -> None:
    """A person's own proposals go (their sessions stay on the programme, without them as host);
    on others' proposals they are taken off the co-speakers."""

    Proposal.objects.filter(speaker=user).delete()
    Proposal.co_speakers.through.objects.filter(user=user).delete()


def _export_proposal_reviews(user: User) -> list[dict]:
    return [
        {
            "proposal": r.proposal.title,
            "score": r.score,
            "comment": r.comment,
            "reviewed_at": iso(r.updated_at),
        }
        for r in ProposalReview.objects.filter(reviewer=user)
        .select_related("proposal")
        .order_by("pk")
    ]


def _export_programme_versions(user: User) -> list[dict]:
    return [
        {"festival": v.festival.name, "version": v.number, "published_at": iso(v.published_at)}
        for v in ProgrammeVersion.objects.filter(published_by=user)
        .select_related("festival")
        .order_by("pk")
    ]


def _export_session_feedback(user: User) -> list[dict]:
    return [
        {
            "session": f.session.title,
            "score": f.score,
            "remark": f.remark,
            "given_at": iso(f.updated_at),
        }
        for f in SessionFeedback.objects.filter(user=user).select_related("session").order_by("pk")
    ]


def _export_speaker_profile(user: User) -> list[dict]:
    return [
        {"bio": p.bio, "photo": p.photo_content_type or None, "updated_at": iso(p.updated_at)}
        for p in SpeakerProfile.objects.filter(user=user).defer("photo")
    ]


def _export_co_speaking(user: User) -> list[dict]:
    return [
        {"proposal": row.proposal.title, "confirmed_at": iso(row.confirmed_at)}
        for row in ProposalCoSpeaker.objects.filter(user=user)
        .select_related("proposal")
        .order_by("pk")
    ]


def register_personal_data() -> None:
    register(
        section="festival_co_speaking",
        model=ProposalCoSpeaker,
        user_fields=("user",),
        export=_export_co_speaking,
        erasure="cascade",
    )
    register(
        section="speaker_page",
        model=SpeakerProfile,
        user_fields=("user",),
        export=_export_speaker_profile,
        erasure="cascade",
    )
    register(
        section="festival_feedback",
        model=SessionFeedback,
        user_fields=("user",),
        export=_export_session_feedback,
        erasure="cascade",
    )
    register(
        section="festival_roles",
        model=Festival,
        user_fields=("organisers", "reviewers"),
        export=_export_festival_roles,
        erasure="set_null",
    )
    register(
        section="festival_proposals",
        model=Proposal,
        user_fields=("speaker", "co_speakers"),
        export=_export_festival_proposals,
        erasure=_erase_festival_proposals,
    )
    register(
        section="festival_reviews",
        model=ProposalReview,
        user_fields=("reviewer",),
        export=_export_proposal_reviews,
        erasure="cascade",
    )
    register(
        section="festival_programmes_published",
        model=ProgrammeVersion,
        user_fields=("published_by",),
        export=_export_programme_versions,
        erasure="set_null",
    )
    # A leermarkt: the stand stays for the market without the host; the material stays for
    # the visitors without who added it. A visitor's picks are RSVPs (the sessions' section).
    register(
        section="festival_stands_hosted",
        model=Stand,
        user_fields=("hosts",),
        export=_export_stands_hosted,
        erasure="set_null",
    )
    register(
        section="festival_stand_material",
        model=StandMaterial,
        user_fields=("added_by",),
        export=_export_stand_material,
        erasure="set_null",
    )
