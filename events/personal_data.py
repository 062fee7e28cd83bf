"""The events app's part of "download my data" and erasure (see communities.personal_data)."""

from django.db.models import Q

from communities.models import User
from communities.personal_data import iso, register


def _export_rsvps(user: User) -> list[dict]:
    from events.models import Rsvp

    return [
        {
            "session": r.session.title,
            "start": iso(r.session.start),
            "status": r.status,
            "guests": r.guests,
            "attended": r.attended,
            "from_series": r.from_series,
            "answered_at": iso(r.updated_at),
        }
        for r in Rsvp.objects.filter(user=user).select_related("session").order_by("id")
    ]


def _export_sessions(user: User) -> list[dict]:
    from events.models import Session

    sessions = Session.objects.filter(hosts=user) | Session.objects.filter(created_by=user)
    return [
        {
            "title": s.title,
            "start": iso(s.start),
            "hosted": user in s.hosts.all(),
            "created_by_me": s.created_by_id == user.id,
        }
        for s in sessions.distinct().prefetch_related("hosts").order_by("start")
    ]


def _export_messages(user: User) -> list[dict]:
    from events.models import OutboxMessage

    return [
        {
            "kind": m.kind,
            "to": m.to_email,
            "subject": m.subject,
            "state": m.state,
            "sent_at": iso(m.sent_at),
        }
        for m in OutboxMessage.objects.filter(recipient=user).order_by("id")
    ]


def _export_takeaways(user: User) -> list[dict]:
    from events.models import Takeaway

    return [
        {
            "session": t.session.title,
            "title": t.title,
            "body": t.body,
            "kind": t.kind,
            "tags": sorted((tag.name for tag in t.tags.all()), key=str.lower),
            "who_benefits": t.who_benefits,
            "action": t.action,
            "action_due": iso(t.action_due),
            "visibility": t.visibility,
            "written_by_me": t.author_id == user.id,
            "owned_by_me": t.owner_id == user.id,
            "review_due": iso(t.review_due),
            "reviewed_at": iso(t.reviewed_at) if t.reviewed_by_id == user.id else None,
            "archived_at": iso(t.archived_at),
            "hidden_reason": t.hidden_reason,
            "hidden_by_me": t.hidden_by_id == user.id,
            "written_at": iso(t.created_at),
        }
        for t in (
            Takeaway.objects.filter(
                Q(author=user) | Q(owner=user) | Q(reviewed_by=user) | Q(hidden_by=user)
            )
            .select_related("session")
            .prefetch_related("tags")
            .order_by("id")
        )
    ]


def _erase_takeaways(user: User) -> None:
    """Private takeaways go with the person; shared ones stay for the community, anonymised
    (author, owner, reviewer and who hid them are unlinked by the foreign keys' SET_NULL)."""
    from events.models import Takeaway

    Takeaway.objects.filter(author=user, visibility=Takeaway.Visibility.PRIVATE).delete()


def _export_helpful(user: User) -> list[dict]:
    from events.models import TakeawayHelpful

    return [
        {"takeaway": m.takeaway.title, "marked_at": iso(m.created_at)}
        for m in TakeawayHelpful.objects.filter(user=user).select_related("takeaway").order_by("id")
    ]


def _export_takeaway_reviews(user: User) -> list[dict]:
    from events.models import TakeawayReview

    return [
        {"takeaway": r.takeaway.title, "outcome": r.outcome, "at": iso(r.at)}
        for r in TakeawayReview.objects.filter(reviewer=user)
        .select_related("takeaway")
        .order_by("id")
    ]


def _export_series(user: User) -> list[dict]:
    from events.models import Series

    series = Series.objects.filter(hosts=user) | Series.objects.filter(created_by=user)
    return [
        {"title": s.title, "rule": s.rrule, "created_by_me": s.created_by_id == user.id}
        for s in series.distinct().order_by("id")
    ]


def _export_series_rsvps(user: User) -> list[dict]:
    from events.models import SeriesRsvp

    return [
        {"series": a.series.title, "status": a.status, "since": iso(a.created_at)}
        for a in SeriesRsvp.objects.filter(user=user).select_related("series").order_by("id")
    ]


def _export_calendar_invitations(user: User) -> list[dict]:
    from events.models import CalendarDelivery

    return [
        {
            "calendar_uid": row.uid,
            "instance": row.recurrence_key,
            "session": row.session.title if row.session_id else None,
            "series": row.series.title if row.series_id else None,
            "last_sent": row.method,
            "sequence": row.sequence,
            "at": iso(row.updated_at),
        }
        for row in CalendarDelivery.objects.filter(user=user)
        .select_related("session", "series")
        .order_by("id")
    ]


def _export_calendar_replies(user: User) -> list[dict]:
    from events.models import CalendarReply

    return [
        {
            "calendar_uid": row.uid,
            "instance": row.recurrence_key,
            "answer": row.partstat,
            "outcome": row.outcome,
            "reason": row.reason,
            "client": row.client,
            "received_at": iso(row.received_at),
        }
        for row in CalendarReply.objects.filter(user=user).order_by("id")
    ]


def _export_reminder_preferences(user: User) -> list[dict]:
    from events.models import ReminderPreference

    return [
        {
            "first_before_minutes": row.first_before,
            "second_before_minutes": row.second_before,
            "rsvp_nudge": row.rsvp_nudge,
            "new_sessions": row.new_sessions,
            "announcements": row.announcements,
            "takeaway_prompts": row.takeaway_prompts,
            "digest": row.digest,
            "changed_at": iso(row.updated_at),
        }
        for row in ReminderPreference.objects.filter(user=user)
    ]


def _export_announcements(user: User) -> list[dict]:
    from events.models import Announcement

    return [
        {
            "to": a.community.name if a.community_id else a.session.title,
            "subject": a.subject,
            "message": a.body,
            "recipients": a.recipients,
            "sent_at": iso(a.created_at),
        }
        for a in Announcement.objects.filter(author=user)
        .select_related("community", "session")
        .order_by("id")
    ]


def register_events() -> None:
    from events.models import (
        Announcement,
        CalendarDelivery,
        CalendarReply,
        OutboxMessage,
        ReminderPreference,
        Rsvp,
        Series,
        SeriesRsvp,
        Session,
        Takeaway,
        TakeawayHelpful,
        TakeawayReview,
    )

    register(
        section="rsvps", model=Rsvp, user_fields=("user",), export=_export_rsvps, erasure="cascade"
    )
    register(
        section="series_rsvps",
        model=SeriesRsvp,
        user_fields=("user",),
        export=_export_series_rsvps,
        erasure="cascade",
    )
    # Sessions stay (others RSVP'd to them); the person is removed as host and creator.
    register(
        section="sessions",
        model=Session,
        user_fields=("hosts", "created_by"),
        export=_export_sessions,
        erasure="set_null",
    )
    register(
        section="series",
        model=Series,
        user_fields=("hosts", "created_by"),
        export=_export_series,
        erasure="set_null",
    )
    register(
        section="takeaways",
        model=Takeaway,
        user_fields=("author", "owner", "reviewed_by", "hidden_by"),
        export=_export_takeaways,
        erasure=_erase_takeaways,
    )
    # Issue 6: what each invitation mail told the person's calendar.
    register(
        section="calendar_invitations",
        model=CalendarDelivery,
        user_fields=("user",),
        export=_export_calendar_invitations,
        erasure="cascade",
    )
    # Issue 7: answers that came back from the person's calendar client.
    register(
        section="calendar_replies",
        model=CalendarReply,
        user_fields=("user",),
        export=_export_calendar_replies,
        erasure="cascade",
    )
    # Issue 11: helpful marks go with the person; the review log stays, unlinked.
    register(
        section="helpful_marks",
        model=TakeawayHelpful,
        user_fields=("user",),
        export=_export_helpful,
        erasure="cascade",
    )
    register(
        section="takeaway_reviews",
        model=TakeawayReview,
        user_fields=("reviewer",),
        export=_export_takeaway_reviews,
        erasure="set_null",
    )
    register(
        section="messages",
        model=OutboxMessage,
        user_fields=("recipient",),
        export=_export_messages,
        erasure="cascade",
    )
    # Issue 8: reminder preferences go with the person; messages they wrote to members stay
    # (the members received them), without their name.
    register(
        section="reminder_preferences",
        model=ReminderPreference,
        user_fields=("user",),
        export=_export_reminder_preferences,
        erasure="cascade",
    )
    register(
        section="messages_to_members",
        model=Announcement,
        user_fields=("author",),
        export=_export_announcements,
        erasure="set_null",
    )


# --- Issue 10: festivals ----------------------------------------------------------------------


def _export_festival_roles(user: User) -> list[dict]:
    from events.models import Festival

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
    from events.models import Proposal

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
    from events.models import Proposal

    Proposal.objects.filter(speaker=user).delete()
    Proposal.co_speakers.through.objects.filter(user=user).delete()


def _export_proposal_reviews(user: User) -> list[dict]:
    from events.models import ProposalReview

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
    from events.models import ProgrammeVersion

    return [
        {"festival": v.festival.name, "version": v.number, "published_at": iso(v.published_at)}
        for v in ProgrammeVersion.objects.filter(published_by=user)
        .select_related("festival")
        .order_by("pk")
    ]


def _export_session_feedback(user: User) -> list[dict]:
    from events.models import SessionFeedback

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
    from events.models import SpeakerProfile

    return [
        {"bio": p.bio, "photo": p.photo_content_type or None, "updated_at": iso(p.updated_at)}
        for p in SpeakerProfile.objects.filter(user=user).defer("photo")
    ]


def _export_co_speaking(user: User) -> list[dict]:
    from events.models import ProposalCoSpeaker

    return [
        {"proposal": row.proposal.title, "confirmed_at": iso(row.confirmed_at)}
        for row in ProposalCoSpeaker.objects.filter(user=user)
        .select_related("proposal")
        .order_by("pk")
    ]


def register_festivals() -> None:
    from events.models import (
        Festival,
        ProgrammeVersion,
        Proposal,
        ProposalCoSpeaker,
        ProposalReview,
        SessionFeedback,
        SpeakerProfile,
    )

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
