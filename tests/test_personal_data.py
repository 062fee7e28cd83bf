"""'Download my data' and account erasure, driven by the personal-data registry (ARCHITECTURE.md rule 9).

When you add a model with a ForeignKey / OneToOneField / ManyToManyField to the user, register it
in your app's ``personal_data`` module (see communities/personal_data.py): the first test below
fails until you do, naming the (model, field) it misses.
"""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.models import Community, Invitation, Membership, MembershipEvent, User
from communities.personal_data import REGISTRY, covered_relations, personal_data_export
from communities.services.accounts import account_erase, profile_photo_set
from events.models import (
    Rsvp,
    Series,
    SeriesRsvp,
    Session,
    Takeaway,
    TakeawayHelpful,
    TakeawayReview,
)
from events.takeaways.rules import parse_tags
from events.takeaways.services import tags_from_names
from tests.api import api_people
from tests.directory import directory_people
from tests.events.festivals import festival_people
from tests.factories import (
    TOTP_SECRET,
    AnnouncementFactory,
    CalendarDeliveryFactory,
    CalendarReplyFactory,
    CommunityFactory,
    IntervisionGroupFactory,
    InvitationFactory,
    MembershipEventFactory,
    MembershipFactory,
    OutboxMessageFactory,
    ReminderPreferenceFactory,
    RsvpFactory,
    SeriesFactory,
    SeriesRsvpFactory,
    SessionFactory,
    TakeawayFactory,
    TakeawayHelpfulFactory,
    TakeawayReviewFactory,
    UserFactory,
)
from tests.intervision import people as intervision_people
from tests.knowledge import people as knowledge_people
from tests.learning import people as learning_people

SECTIONS = {
    "admin_log",
    "audit_log",
    "communities_created",
    "email_addresses",
    "invitations",
    "login_sessions",
    "membership_history",
    "memberships",
    "messages",
    "profile",
    # The person's own photo for their avatar
    "profile_photo",
    "rsvps",
    "sessions",
    "sso_accounts",
    "two_factor",
    "series",
    "takeaways",
    # "going to all upcoming" of a series
    "series_rsvps",
    # What invitation mails told the person's calendar
    "calendar_invitations",
    # Answers from the person's calendar client
    "calendar_replies",
    # Intervision
    *intervision_people.SECTIONS,
    # Reminder preferences and messages to members
    "reminder_preferences",
    "messages_to_members",
    # Takeaways' helpful marks and review log
    "helpful_marks",
    "takeaway_reviews",
    *festival_people.SECTIONS,
    *api_people.SECTIONS,
    *directory_people.SECTIONS,
    *knowledge_people.SECTIONS,
    *learning_people.SECTIONS,
}


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def _relations_to_user() -> set[tuple[str, str]]:
    """(model label, field name) of every forward relation field that points at the user."""
    user_model = _user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            # OneToOneField is a ForeignKey; reverse relations (ManyToOneRel...) are not fields.
            if (
                isinstance(field, models.ForeignKey | models.ManyToManyField)
                and field.related_model is user_model
            ):
                found.add((model._meta.label, field.name))
    return found


def _rows_referencing(label: str, field_name: str, user_id: int) -> list[int]:
    """Primary keys of the rows of ``label`` whose ``field_name`` points at ``user_id``."""
    model = apps.get_model(label)
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        through = field.remote_field.through
        return sorted(
            through.objects.filter(**{field.m2m_reverse_field_name(): user_id}).values_list(
                "pk", flat=True
            )
        )
    return sorted(model.objects.filter(**{field.attname: user_id}).values_list("pk", flat=True))


def _snapshot_of(user_id: int) -> dict[tuple[str, str], list[int]]:
    assert user_id is not None  # Model.delete() sets pk to None: keep the id beforehand
    return {
        relation: _rows_referencing(*relation, user_id) for relation in sorted(covered_relations())
    }


def _invitation(community, email: str, *, invited_by, **fields) -> Invitation:
    return InvitationFactory(
        community=community,
        email=email,
        invited_by=invited_by,
        expires_at=datetime(2030, 6, 1, tzinfo=UTC),
        **fields,
    )


def _event(membership: Membership, kind: str, actor: User) -> MembershipEvent:
    return MembershipEventFactory(membership=membership, kind=kind, actor=actor)


def _log_entry(user: User, obj: models.Model, message: str) -> LogEntry:
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=CHANGE,
        change_message=message,
    )


def _tags(text: str):

    return tags_from_names(parse_tags(text))


def _series(community, title: str, *, created_by, hosts) -> Series:
    return SeriesFactory(
        community=community,
        rrule="FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10",
        first_start=datetime(2030, 3, 6, 11, 0, tzinfo=UTC),
        title=title,
        created_by=created_by,
        hosts=hosts,
    )


@pytest.fixture
def people(member, other_user, community, private_community, coordinator):
    """Two people with data in every registered section, so one's data can leak into the other's."""
    start = datetime(2030, 3, 4, 11, 0, tzinfo=UTC)
    member.team = "Platform"
    member.save(update_fields=["team"])
    mine = {
        "membership_public": MembershipFactory(user=member, community=community),
        "membership_private": MembershipFactory(
            user=member,
            community=private_community,
            state=Membership.State.LEFT,
            left_at=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
        ),
        "hosted": SessionFactory(
            community=community,
            title="Pytest fixtures",
            start=start,
            end=start + timedelta(hours=1),
            hosts=[member, other_user],
        ),
        "created": SessionFactory(
            community=community,
            title="Type hints",
            start=start + timedelta(days=1),
            end=start + timedelta(days=1, hours=1),
            created_by=member,
        ),
    }
    mine["rsvp"] = RsvpFactory(user=member, session=mine["created"], status=Rsvp.Status.MAYBE)
    mine["message"] = OutboxMessageFactory(
        recipient=member, to_email=member.email, kind="welcome", subject="Welkom, Mia"
    )
    mine["log"] = _log_entry(member, community, "Renamed by Mia")
    mine["audit"] = audit_record(actor=member, action="export.personal_data", target=member)
    # A single sign-on account and a second factor.
    mine["sso"] = SocialAccount.objects.create(
        user=member, provider="sso", uid="mia-sub", extra_data={"userinfo": {"tid": "tenant-a"}}
    )
    mine["totp"] = TOTP.activate(member, TOTP_SECRET).instance
    # Communities: one Mia created and asked to join, her history, invitations to and from her.
    mine["created_community"] = CommunityFactory(
        name="Architectuurgilde", join_policy=Community.JoinPolicy.APPROVAL, created_by=member
    )
    mine["request"] = MembershipFactory(
        user=member,
        community=mine["created_community"],
        state=Membership.State.PENDING,
        joined_at=None,
        motivation="Ik wil meer leren over architectuur",
        requested_at=datetime(2029, 12, 1, 9, 30, tzinfo=UTC),
    )
    theirs_membership = MembershipFactory(
        user=other_user, community=private_community, state=Membership.State.PENDING
    )
    mine["joined"] = _event(mine["membership_public"], MembershipEvent.Kind.JOINED, member)
    mine["requested"] = _event(mine["request"], MembershipEvent.Kind.REQUESTED, member)
    mine["removed_by_coordinator"] = _event(
        mine["membership_private"], MembershipEvent.Kind.REMOVED, coordinator
    )
    theirs_requested = _event(theirs_membership, MembershipEvent.Kind.REQUESTED, other_user)
    mine["approved_by_me"] = _event(theirs_membership, MembershipEvent.Kind.APPROVED, member)
    mine["invited_me"] = _invitation(
        private_community, "Member@Example.org", invited_by=coordinator
    )
    mine["sent_by_me"] = _invitation(community, "friend@example.org", invited_by=member)
    # Sent to the address Mia used before; she accepted it.
    mine["accepted_by_me"] = _invitation(
        mine["created_community"],
        "mia.old@example.org",
        invited_by=coordinator,
        accepted_by=member,
        state=Invitation.State.ACCEPTED,
    )

    # A series Mia created, one she only hosts, and her takeaways (private, shared).
    mine["series"] = _series(community, "Lunch & learn", created_by=member, hosts=[member])
    mine["series_hosted"] = _series(
        community, "Lean Coffee", created_by=coordinator, hosts=[member, other_user]
    )
    mine["series_rsvp"] = SeriesRsvpFactory(series=mine["series_hosted"], user=member)
    # An invitation went to her calendar and was cancelled again.
    mine["calendar"] = CalendarDeliveryFactory(
        user=member, uid=mine["hosted"].uid, session=mine["hosted"], method="CANCEL", sequence=1
    )
    mine["reply"] = CalendarReplyFactory(
        user=member, session=mine["hosted"], uid=mine["hosted"].uid, partstat="DECLINED",
        sequence=1, outcome="applied", reason="declined", client="Microsoft Exchange Server 2010",
    )  # fmt: skip
    mine["takeaway_private"] = TakeawayFactory(
        session=mine["hosted"],
        author=member,
        owner=member,
        title="Fixtures compose",
        body="Small fixtures, combined per test.",
        visibility=Takeaway.Visibility.PRIVATE,
    )
    mine["takeaway_shared"] = TakeawayFactory(
        session=mine["hosted"],
        author=member,
        owner=member,
        title="Parametrize the edge cases",
        body="One test, many rows.",
        kind=Takeaway.Kind.TIP,
        who_benefits="Team Platform",
        action="Parametrize the date tests",
        action_due=date(2030, 4, 1),
        visibility=Takeaway.Visibility.COMMUNITY,
        review_due=date(2030, 9, 4),
        reviewed_at=datetime(2030, 3, 4, 15, 0, tzinfo=UTC),
        reviewed_by=member,
    )
    mine["takeaway_shared"].tags.set(_tags("pytest, Testen"))
    # Mia reviewed her takeaway, marked Otto's helpful, and (as if coordinating) hid
    # one of his; Otto marked hers helpful.
    mine["review"] = TakeawayReviewFactory(
        takeaway=mine["takeaway_shared"], reviewer=member, outcome="reconfirmed"
    )

    mine.update(intervision_people.plant(member, other_user))
    # Her reminder preferences and a message she wrote to the community's members.
    mine["reminder_preference"] = ReminderPreferenceFactory(
        user=member, first_before=1440, second_before=None, rsvp_nudge=False,
        new_sessions="digest", announcements=True, takeaway_prompts=False, digest=True,
    )  # fmt: skip
    mine["announcement"] = AnnouncementFactory(
        community=community, author=member, subject="Room change", body="We meet in 3.14.",
        recipients=4,
    )  # fmt: skip
    mine.update(festival_people.plant(member, other_user))
    mine.update(api_people.plant(member, other_user, community))
    mine.update(directory_people.plant(member, other_user, community))
    mine.update(knowledge_people.plant(member, other_user, community))
    mine.update(learning_people.plant(member, other_user))
    theirs = {
        "membership": theirs_membership,
        "requested": theirs_requested,
        "hosted": SessionFactory(
            community=private_community,
            title="Threat modelling",
            hosts=[other_user],
            created_by=other_user,
        ),
        "created_community": CommunityFactory(name="Otto's club", created_by=other_user),
        "invited": _invitation(community, "other@example.org", invited_by=coordinator),
    }
    theirs["rsvp"] = RsvpFactory(user=other_user, session=mine["hosted"])
    theirs["rsvp_own"] = RsvpFactory(user=other_user, session=theirs["hosted"])
    theirs["message"] = OutboxMessageFactory(
        recipient=other_user, to_email=other_user.email, subject="Welkom, Otto"
    )
    theirs["log"] = _log_entry(other_user, private_community, "Renamed by Otto")
    theirs["audit"] = audit_record(actor=other_user, action="token.create", target=other_user)
    theirs["sso"] = SocialAccount.objects.create(
        user=other_user, provider="sso", uid="otto-sub", extra_data={"userinfo": {"name": "Otto"}}
    )
    theirs["totp"] = TOTP.activate(other_user, TOTP_SECRET).instance
    theirs["series"] = _series(
        private_community, "Otto's threat clinic", created_by=other_user, hosts=[other_user]
    )
    theirs["series_rsvp"] = SeriesRsvpFactory(series=mine["series_hosted"], user=other_user)
    theirs["calendar"] = CalendarDeliveryFactory(
        user=other_user, uid=mine["series_hosted"].uid, series=mine["series_hosted"],
        method="REQUEST", sequence=0,
    )  # fmt: skip
    theirs["reply"] = CalendarReplyFactory(
        user=other_user, uid="x", partstat="ACCEPTED", outcome="rejected", reason="never invited"
    )
    theirs["takeaway"] = TakeawayFactory(
        session=theirs["hosted"],
        author=other_user,
        title="STRIDE per element",
        visibility=Takeaway.Visibility.PRIVATE,
    )
    theirs["reminder_preference"] = ReminderPreferenceFactory(
        user=other_user, first_before=60, second_before=None, rsvp_nudge=True,
        new_sessions="off", announcements=False, takeaway_prompts=True, digest=False,
    )  # fmt: skip
    theirs["announcement"] = AnnouncementFactory(
        session=theirs["hosted"], author=other_user, subject="Otto's notes", body="Bring Otto.",
    )  # fmt: skip
    theirs["shared"] = TakeawayFactory(
        session=mine["hosted"],
        author=other_user,
        owner=other_user,
        title="Mock less",
        visibility=Takeaway.Visibility.COMMUNITY,
        hidden_at=datetime(2030, 3, 5, 9, 0, tzinfo=UTC),
        hidden_by=member,
        hidden_reason="Off topic",
    )
    mine["helpful"] = TakeawayHelpfulFactory(takeaway=theirs["shared"], user=member)
    theirs["helpful"] = TakeawayHelpfulFactory(takeaway=mine["takeaway_shared"], user=other_user)
    return {"member": member, "other": other_user, "mine": mine, "theirs": theirs}


# --- (a) the registry covers every relation to the user ------------------------------------


def test_registry_covers_every_relation_to_the_user():
    missing = sorted(_relations_to_user() - covered_relations())
    assert missing == [], (
        f"(model, field) pointing at the user but not in the personal-data registry: {missing}"
    )


def test_registry_lists_only_real_relations_to_the_user():
    """A registered field that is gone or points elsewhere is a stale entry."""
    assert sorted(covered_relations() - _relations_to_user()) == []


def test_relation_scan_finds_the_known_relations():
    """The scan above is not vacuous: it sees today's relations, the M2M included."""
    assert _relations_to_user() == {
        ("account.EmailAddress", "user"),
        ("admin.LogEntry", "user"),
        ("auditlog.LogEntry", "actor"),
        ("mfa.Authenticator", "user"),
        ("socialaccount.SocialAccount", "user"),
        ("communities.Community", "created_by"),
        ("communities.Invitation", "accepted_by"),
        ("communities.Invitation", "invited_by"),
        ("communities.Membership", "user"),
        ("communities.MembershipEvent", "actor"),
        ("communities.ProfilePhoto", "user"),
        ("events.CalendarDelivery", "user"),
        ("events.CalendarReply", "user"),
        ("communities.OutboxMessage", "recipient"),
        ("events.Rsvp", "user"),
        ("events.Session", "created_by"),
        ("events.Session", "hosts"),
        ("events.Series", "created_by"),
        ("events.Series", "hosts"),
        ("events.SeriesRsvp", "user"),
        ("events.Takeaway", "author"),
        *intervision_people.RELATIONS,
        ("events.ReminderPreference", "user"),
        ("events.Announcement", "author"),
        ("events.Takeaway", "owner"),
        ("events.Takeaway", "reviewed_by"),
        ("events.Takeaway", "hidden_by"),
        ("events.TakeawayHelpful", "user"),
        ("events.TakeawayReview", "reviewer"),
        *festival_people.RELATIONS,
        *api_people.RELATIONS,
        *directory_people.RELATIONS,
        *knowledge_people.RELATIONS,
        *learning_people.RELATIONS,
    }


def test_registry_erasure_matches_the_database_on_delete():
    """'cascade' must really cascade and 'set_null' must really unlink, or erasure fails late."""
    wrong = []
    for section, entry in sorted(REGISTRY.items()):
        for name in entry.user_fields:
            field = entry.model._meta.get_field(name)
            if callable(entry.erasure):
                continue
            if field.many_to_many:
                ok = entry.erasure == "set_null"
            else:
                expected = {"cascade": models.CASCADE, "set_null": models.SET_NULL}[entry.erasure]
                ok = field.remote_field.on_delete is expected
            if not ok:
                wrong.append((section, name, entry.erasure))
    assert wrong == []


# --- (b) the export ------------------------------------------------------------------------


def test_export_has_every_registered_section(people):
    export = personal_data_export(user=people["member"])
    assert set(export) == {"generated_at", *REGISTRY}
    assert set(REGISTRY) == SECTIONS


EVENTS_AND_INVITATIONS = (
    "joined",
    "requested",
    "removed_by_coordinator",
    "approved_by_me",
    "invited_me",
    "sent_by_me",
    "accepted_by_me",
)


def test_export_holds_exactly_the_persons_data(people, time_machine):
    time_machine.move_to(datetime(2030, 1, 1, 12, 0, tzinfo=UTC), tick=False)
    member, mine = people["member"], people["mine"]
    for key in ("rsvp", "message", "created_community", "series_rsvp", "helpful", "review"):
        mine[key].refresh_from_db()
    member.refresh_from_db()
    when = {key: mine[key].created_at.isoformat() for key in EVENTS_AND_INVITATIONS}

    export = personal_data_export(user=member)

    assert export == {
        "generated_at": "2030-01-01T12:00:00+00:00",
        "profile": [
            {
                "email": "member@example.org",
                "display_name": "Mia Member",
                "language": "nl",
                "timezone": "Europe/Amsterdam",
                "team": "Platform",
                "calendar_delivery": "invitations",
                "show_contributions": False,
                "photo_updated": None,
                "date_joined": member.date_joined.isoformat(),
                "last_login": None,
            }
        ],
        "profile_photo": [],
        "memberships": [
            {
                "community": "Python-gilde",
                "role": "member",
                "state": "active",
                "joined_at": mine["membership_public"].joined_at.isoformat(),
                "left_at": None,
                "motivation": "",
                "requested_at": None,
            },
            {
                "community": "Security Champions",
                "role": "member",
                "state": "left",
                "joined_at": mine["membership_private"].joined_at.isoformat(),
                "left_at": "2025-01-02T03:04:00+00:00",
                "motivation": "",
                "requested_at": None,
            },
            {
                "community": "Architectuurgilde",
                "role": "member",
                "state": "pending",
                "joined_at": None,
                "left_at": None,
                "motivation": "Ik wil meer leren over architectuur",
                "requested_at": "2029-12-01T09:30:00+00:00",
            },
        ],
        "membership_history": [
            {
                "community": "Python-gilde",
                "member": "me",
                "what": "joined",
                "role": "member",
                "by_me": True,
                "when": when["joined"],
            },
            {
                "community": "Architectuurgilde",
                "member": "me",
                "what": "requested",
                "role": "member",
                "by_me": True,
                "when": when["requested"],
            },
            {
                "community": "Security Champions",
                "member": "me",
                "what": "removed",
                "role": "member",
                "by_me": False,
                "when": when["removed_by_coordinator"],
            },
            {
                "community": "Security Champions",
                "member": "someone else",
                "what": "approved",
                "role": "member",
                "by_me": True,
                "when": when["approved_by_me"],
            },
        ],
        "communities_created": [
            {
                "community": "Architectuurgilde",
                "created_at": mine["created_community"].created_at.isoformat(),
            }
        ],
        "invitations": [
            {
                "community": "Security Champions",
                "email": "Member@Example.org",
                "sent_by_me": False,
                "state": "pending",
                "created_at": when["invited_me"],
            },
            {
                "community": "Python-gilde",
                "email": "friend@example.org",
                "sent_by_me": True,
                "state": "pending",
                "created_at": when["sent_by_me"],
            },
            {
                "community": "Architectuurgilde",
                "email": "mia.old@example.org",
                "sent_by_me": False,
                "state": "accepted",
                "created_at": when["accepted_by_me"],
            },
        ],
        "email_addresses": [{"email": "member@example.org", "verified": True, "primary": True}],
        "admin_log": [
            {
                "when": mine["log"].action_time.isoformat(),
                "object": "Python-gilde",
                "change": "Renamed by Mia",
            }
        ],
        "audit_log": [
            {
                "when": mine["audit"].timestamp.isoformat(),
                "what": "export.personal_data",
                "concerning": "Mia Member",
                "address": None,
            }
        ],
        "rsvps": [
            {
                "session": "Type hints",
                "start": "2030-03-05T11:00:00+00:00",
                "status": "maybe",
                "guests": 0,
                "attended": None,
                "from_series": False,
                "answered_at": mine["rsvp"].updated_at.isoformat(),
            }
        ],
        "sessions": [
            {
                "title": "Pytest fixtures",
                "start": "2030-03-04T11:00:00+00:00",
                "hosted": True,
                "created_by_me": False,
            },
            {
                "title": "Type hints",
                "start": "2030-03-05T11:00:00+00:00",
                "hosted": False,
                "created_by_me": True,
            },
        ],
        "series": [
            {
                "title": "Lunch & learn",
                "rule": "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10",
                "created_by_me": True,
            },
            {
                "title": "Lean Coffee",
                "rule": "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10",
                "created_by_me": False,
            },
        ],
        "series_rsvps": [
            {
                "series": "Lean Coffee",
                "status": "going",
                "since": mine["series_rsvp"].created_at.isoformat(),
            }
        ],
        "calendar_invitations": [
            {
                "calendar_uid": mine["hosted"].uid,
                "instance": "",
                "session": "Pytest fixtures",
                "series": None,
                "last_sent": "CANCEL",
                "sequence": 1,
                "at": mine["calendar"].updated_at.isoformat(),
            }
        ],
        "calendar_replies": [
            {
                "calendar_uid": mine["hosted"].uid,
                "instance": "",
                "answer": "DECLINED",
                "outcome": "applied",
                "reason": "declined",
                "client": "Microsoft Exchange Server 2010",
                "received_at": mine["reply"].received_at.isoformat(),
            }
        ],
        "takeaways": [
            {
                "session": "Pytest fixtures",
                "origin": "session",
                "title": "Fixtures compose",
                "body": "Small fixtures, combined per test.",
                "kind": "learning",
                "tags": [],
                "who_benefits": "",
                "action": "",
                "action_due": None,
                "visibility": "private",
                "written_by_me": True,
                "owned_by_me": True,
                "review_due": None,
                "reviewed_at": None,
                "archived_at": None,
                "hidden_reason": "",
                "hidden_by_me": False,
                "written_at": mine["takeaway_private"].created_at.isoformat(),
            },
            {
                "session": "Pytest fixtures",
                "origin": "session",
                "title": "Parametrize the edge cases",
                "body": "One test, many rows.",
                "kind": "tip",
                "tags": ["pytest", "Testen"],
                "who_benefits": "Team Platform",
                "action": "Parametrize the date tests",
                "action_due": "2030-04-01",
                "visibility": "community",
                "written_by_me": True,
                "owned_by_me": True,
                "review_due": "2030-09-04",
                "reviewed_at": "2030-03-04T15:00:00+00:00",
                "archived_at": None,
                "hidden_reason": "",
                "hidden_by_me": False,
                "written_at": mine["takeaway_shared"].created_at.isoformat(),
            },
            {
                "session": "Pytest fixtures",
                "origin": "session",
                "title": "Mock less",
                "body": "",
                "kind": "learning",
                "tags": [],
                "who_benefits": "",
                "action": "",
                "action_due": None,
                "visibility": "community",
                "written_by_me": False,
                "owned_by_me": False,
                "review_due": None,
                "reviewed_at": None,
                "archived_at": None,
                "hidden_reason": "Off topic",
                "hidden_by_me": True,
                "written_at": people["theirs"]["shared"].created_at.isoformat(),
            },
        ],
        "helpful_marks": [
            {"takeaway": "Mock less", "marked_at": mine["helpful"].created_at.isoformat()}
        ],
        "takeaway_reviews": [
            {
                "takeaway": "Parametrize the edge cases",
                "outcome": "reconfirmed",
                "at": mine["review"].at.isoformat(),
            }
        ],
        "messages": [
            {
                "kind": "welcome",
                "to": "member@example.org",
                "subject": "Welkom, Mia",
                "state": "pending",
                "sent_at": None,
                # Made years before the export: past the outbox's retention, no text.
                "body": None,
            }
        ],
        "login_sessions": [],
        "reminder_preferences": [
            {
                "first_before_minutes": 1440,
                "second_before_minutes": None,
                "rsvp_nudge": False,
                "new_sessions": "digest",
                "announcements": True,
                "takeaway_prompts": False,
                "digest": True,
                "changed_at": mine["reminder_preference"].updated_at.isoformat(),
            }
        ],
        "messages_to_members": [
            {
                "to": mine["announcement"].community.name,
                "subject": "Room change",
                "message": "We meet in 3.14.",
                "recipients": 4,
                "sent_at": mine["announcement"].created_at.isoformat(),
            }
        ],
        "sso_accounts": [
            {
                "provider": "sso",
                "uid": "mia-sub",
                "claims": {"userinfo": {"tid": "tenant-a"}},
                "connected_at": mine["sso"].date_joined.isoformat(),
                "last_login": mine["sso"].last_login.isoformat(),
            }
        ],
        "two_factor": [
            {
                "type": "totp",
                "created_at": mine["totp"].created_at.isoformat(),
                "last_used_at": None,
            }
        ],
        **intervision_people.expected_export(mine),
        **festival_people.expected_export(mine),
        **api_people.expected_export(mine),
        **directory_people.expected_export(mine),
        **knowledge_people.expected_export(mine),
        **learning_people.expected_export(mine),
    }


def test_export_leaks_nothing_of_another_person(people):
    mine = json.dumps(personal_data_export(user=people["member"]), ensure_ascii=False)
    theirs = json.dumps(personal_data_export(user=people["other"]), ensure_ascii=False)
    for foreign in ("other@example.org", "Otto", "Threat modelling", "Renamed by Otto"):
        assert foreign in theirs  # real data of the other person, so the check below bites
        assert foreign not in mine


def test_export_of_a_person_without_data_has_empty_sections(db):
    loner = UserFactory(email="loner@example.org", verified=False)
    export = personal_data_export(user=loner)
    assert {
        section: len(rows) for section, rows in export.items() if section != "generated_at"
    } == {
        "admin_log": 0,
        "audit_log": 0,
        "calendar_invitations": 0,
        "calendar_replies": 0,
        "communities_created": 0,
        "email_addresses": 0,
        "invitations": 0,
        "login_sessions": 0,
        "membership_history": 0,
        "memberships": 0,
        "messages": 0,
        "messages_to_members": 0,
        "profile": 1,
        "profile_photo": 0,
        "reminder_preferences": 0,
        "rsvps": 0,
        "series": 0,
        "series_rsvps": 0,
        "sessions": 0,
        "sso_accounts": 0,
        "takeaways": 0,
        "two_factor": 0,
        **dict.fromkeys(intervision_people.SECTIONS, 0),
        "helpful_marks": 0,
        "takeaway_reviews": 0,
        **dict.fromkeys(festival_people.SECTIONS, 0),
        **dict.fromkeys(api_people.SECTIONS, 0),
        **dict.fromkeys(directory_people.SECTIONS, 0),
        **dict.fromkeys(knowledge_people.SECTIONS, 0),
        **dict.fromkeys(learning_people.SECTIONS, 0),
    }


# --- (c) erasure ---------------------------------------------------------------------------


def test_account_erase_leaves_no_row_referencing_the_person(people):
    member = people["member"]
    member_id = member.pk
    profile_photo_set(user=member, content=b"\x89PNG\r\n\x1a\n", content_type="image/png")
    before = _snapshot_of(member_id)
    assert all(before[relation] for relation in before), before  # every relation had data

    account_erase(user=member)

    assert _snapshot_of(member_id) == {relation: [] for relation in covered_relations()}
    assert User.objects.filter(pk=member_id).count() == 0


def test_account_erase_leaves_other_peoples_rows_untouched(people):
    other = people["other"]
    before = _snapshot_of(other.pk)
    counts_before = {
        model: model.objects.exclude(**filters).count()
        for model, filters in [
            (Membership, {"user": people["member"]}),
            (Rsvp, {"user": people["member"]}),
            # Mail to the erased person stays, redacted, for the outbox's counts.
            (OutboxMessage, {}),
            (EmailAddress, {"user": people["member"]}),
            (LogEntry, {"user": people["member"]}),
            (MembershipEvent, {"membership__user": people["member"]}),
            (Invitation, {"email__iexact": people["member"].email}),
            (SeriesRsvp, {"user": people["member"]}),
            (Community, {}),
            (Series, {}),
        ]
    }

    account_erase(user=people["member"])

    assert _snapshot_of(other.pk) == before
    assert {model: model.objects.count() for model in counts_before} == counts_before
    other.refresh_from_db()
    assert other.email == "other@example.org"


def test_account_erase_keeps_hosted_sessions_without_the_person(people):
    hosted, created = people["mine"]["hosted"], people["mine"]["created"]

    account_erase(user=people["member"])

    assert Session.objects.filter(pk__in=[hosted.pk, created.pk]).count() == 2
    assert list(hosted.hosts.values_list("email", flat=True)) == ["other@example.org"]
    created.refresh_from_db()
    assert created.created_by_id is None
    # The other person's RSVP to the session the erased person hosted is still there.
    assert Rsvp.objects.filter(session=hosted, user=people["other"]).count() == 1


def test_account_erase_deletes_private_takeaways_and_keeps_shared_ones_anonymised(people):
    mine, theirs = people["mine"], people["theirs"]

    account_erase(user=people["member"])

    assert sorted(
        Takeaway.objects.values_list(
            "pk", "title", "author__email", "owner__email", "visibility", "hidden_by"
        )
    ) == [
        (mine["takeaway_shared"].pk, "Parametrize the edge cases", None, None, "community", None),
        (theirs["takeaway"].pk, "STRIDE per element", "other@example.org", None, "private", None),
        (
            theirs["shared"].pk,
            "Mock less",
            "other@example.org",
            "other@example.org",
            "community",
            None,
        ),
    ]
    # Otto's helpful mark on Mia's shared takeaway stays; hers on his is gone; her review stays,
    # unsigned.
    assert list(TakeawayHelpful.objects.values_list("user__email", flat=True)) == [
        "other@example.org"
    ]
    assert list(TakeawayReview.objects.values_list("reviewer", "outcome")) == [
        (None, "reconfirmed")
    ]


def test_account_erase_keeps_series_without_the_person(people):
    mine, theirs = people["mine"], people["theirs"]

    account_erase(user=people["member"])

    assert sorted(Series.objects.values_list("title", "created_by__email")) == [
        ("Lean Coffee", "coordinator@example.org"),
        ("Lunch & learn", None),
        ("Otto's threat clinic", "other@example.org"),
    ]
    assert list(mine["series"].hosts.all()) == []
    assert list(mine["series_hosted"].hosts.values_list("email", flat=True)) == [
        "other@example.org"
    ]
    assert list(theirs["series"].hosts.values_list("email", flat=True)) == ["other@example.org"]


def test_account_erase_deletes_invitations_to_the_person_and_keeps_those_they_sent(
    people, coordinator
):
    account_erase(user=people["member"])

    assert sorted(
        Invitation.objects.values_list("email", "invited_by__email", "accepted_by", "state")
    ) == [
        # Sent by the erased person: kept for the community, no longer linked to them.
        ("friend@example.org", None, None, "pending"),
        # Accepted by them at an old address: kept, unlinked.
        ("mia.old@example.org", "coordinator@example.org", None, "accepted"),
        ("other@example.org", "coordinator@example.org", None, "pending"),
    ]


def test_account_erase_keeps_communities_and_history_the_person_made(people):
    mine, theirs = people["mine"], people["theirs"]

    account_erase(user=people["member"])

    created = Community.objects.get(pk=mine["created_community"].pk)
    assert created.created_by_id is None
    # Their own memberships and history go; what they did to someone else's stays, unsigned.
    assert Membership.objects.filter(pk=mine["request"].pk).count() == 0
    assert list(
        MembershipEvent.objects.filter(membership=theirs["membership"])
        .order_by("id")
        .values_list("kind", "actor__email")
    ) == [("requested", "other@example.org"), ("approved", None)]


# --- (d) the last coordinator --------------------------------------------------------------


def _everything() -> dict[str, int]:
    return {
        label: apps.get_model(label).objects.count()
        for label in sorted({label for label, _field in covered_relations()} | {"communities.User"})
    }


def test_account_erase_refuses_the_last_coordinator_and_changes_nothing(people, coordinator):
    RsvpFactory(user=coordinator, session=people["mine"]["hosted"])
    before = _everything()

    with translation.override("en"), pytest.raises(DomainError) as raised:
        account_erase(user=coordinator)

    assert raised.value.code == "last_coordinator"
    assert raised.value.message == (
        "Hand over coordination first: you are the only coordinator of "
        "Python-gilde, Security Champions."
    )
    assert _everything() == before
    assert User.objects.filter(pk=coordinator.pk).count() == 1


def test_account_erase_names_only_communities_without_another_coordinator(
    coordinator, community, private_community
):
    MembershipFactory(community=community, role=Membership.Role.COORDINATOR)
    # A coordinator who left does not count.
    MembershipFactory(
        community=private_community, role=Membership.Role.COORDINATOR, state=Membership.State.LEFT
    )

    with translation.override("en"), pytest.raises(DomainError) as raised:
        account_erase(user=coordinator)

    assert raised.value.message == (
        "Hand over coordination first: you are the only coordinator of Security Champions."
    )


def test_account_erase_allows_a_coordinator_who_has_a_successor(
    coordinator, community, private_community
):
    MembershipFactory(community=community, role=Membership.Role.COORDINATOR)
    MembershipFactory(community=private_community, role=Membership.Role.COORDINATOR)
    coordinator_id = coordinator.pk

    account_erase(user=coordinator)

    assert User.objects.filter(pk=coordinator_id).count() == 0
    assert Membership.objects.filter(role=Membership.Role.COORDINATOR).count() == 2


def test_account_erase_counts_a_facilitator_as_lead_of_an_intervision_group(db):
    group = IntervisionGroupFactory()
    facilitator = MembershipFactory(community=group, role=Membership.Role.FACILITATOR).user

    with pytest.raises(DomainError):
        account_erase(user=facilitator)

    MembershipFactory(community=group, role=Membership.Role.FACILITATOR)
    facilitator_id = facilitator.pk
    account_erase(user=facilitator)
    assert User.objects.filter(pk=facilitator_id).count() == 0


def test_account_erase_ignores_archived_communities(db):
    archived = CommunityFactory(archived=True)
    lead = MembershipFactory(community=archived, role=Membership.Role.COORDINATOR).user
    lead_id = lead.pk

    account_erase(user=lead)

    assert User.objects.filter(pk=lead_id).count() == 0


# --- (e) the views -------------------------------------------------------------------------


def test_me_data_download_is_a_private_json_attachment(client, people):
    client.force_login(people["member"])

    response = client.get("/me/data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kennisplein-my-data.json"'
    assert "no-store" in response["Cache-Control"].split(", ")
    payload = json.loads(response.content)
    assert set(payload) == {"generated_at", *SECTIONS}
    assert payload["profile"][0]["email"] == "member@example.org"
    assert [row["community"] for row in payload["memberships"]] == [
        "Python-gilde",
        "Security Champions",
        "Architectuurgilde",
    ]
    assert b"other@example.org" not in response.content


def test_me_erase_with_the_wrong_email_is_refused_and_deletes_nothing(client, people):
    client.force_login(people["member"])
    before = _everything()

    response = client.post(
        "/me/erase/", {"confirm_email": "other@example.org", "shared_takeaways": "keep"}
    )

    assert response.status_code == 400
    assert list(response.context["erase_form"].errors) == ["confirm_email"]
    assert _everything() == before
    assert client.session[SESSION_KEY] == str(people["member"].pk)


def test_me_erase_with_the_right_email_deletes_the_account_and_logs_out(client, people):
    member = people["member"]
    client.force_login(member)

    # The member shared takeaways: they are asked what happens to them (here: kept, anonymised).
    response = client.post(
        "/me/erase/", {"confirm_email": " MEMBER@example.org ", "shared_takeaways": "keep"}
    )

    assert (response.status_code, response["Location"]) == (302, "/")
    assert User.objects.filter(pk=member.pk).count() == 0
    assert SESSION_KEY not in client.session
    assert _snapshot_of(member.pk) == {relation: [] for relation in covered_relations()}
    assert client.get("/me/").status_code == 302


def test_me_erase_of_the_last_coordinator_shows_why_and_keeps_the_account(client, coordinator):
    client.force_login(coordinator)

    response = client.post("/me/erase/", {"confirm_email": "coordinator@example.org"}, follow=True)

    assert response.redirect_chain == [("/me/", 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert User.objects.filter(pk=coordinator.pk).count() == 1
    assert Membership.objects.filter(user=coordinator).count() == 2


def test_me_post_updates_the_profile(client, member):
    client.force_login(member)

    response = client.post(
        "/me/",
        {
            "display_name": "  Mia M.  ",
            "language": "en",
            "timezone": "Europe/Brussels",
            "team": " Data ",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    member.refresh_from_db()
    assert (member.display_name, member.language, member.timezone, member.team) == (
        "Mia M.",
        "en",
        "Europe/Brussels",
        "Data",
    )


def test_me_post_with_an_unknown_timezone_shows_an_error_and_changes_nothing(client, member):
    client.force_login(member)

    response = client.post(
        "/me/",
        {"display_name": "Changed", "language": "en", "timezone": "Mars/Olympus", "team": "X"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["timezone"]
    assert errors["timezone"][0].code == "invalid_choice"
    member.refresh_from_db()
    assert (member.display_name, member.language, member.timezone, member.team) == (
        "Mia Member",
        "nl",
        "Europe/Amsterdam",
        "",
    )


def test_me_post_with_an_unknown_language_changes_nothing(client, member):
    client.force_login(member)

    response = client.post(
        "/me/",
        {"display_name": "Changed", "language": "xx", "timezone": "UTC", "team": ""},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["language"]
    member.refresh_from_db()
    assert (member.display_name, member.language, member.timezone) == (
        "Mia Member",
        "nl",
        "Europe/Amsterdam",
    )
