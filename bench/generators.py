"""Deterministic data generators for the benchmarks (seeded ``random.Random``, ``bulk_create``).

Every generator takes the ``rng`` to draw from and a ``start`` index so that a data set can be
grown step by step (100 → 1,000 → 10,000 communities) with unique, reproducible names. Nothing
here goes through the services: generators build the starting state, the scenarios measure the
code paths.
"""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from communities.mail.models import OutboxMessage
from communities.mail.rendering import RenderedMessage
from communities.models import Community, Membership, User
from events.models import Rsvp, Session

BATCH = 500
TOPICS = [
    "Python",
    "Data",
    "Security",
    "Toegankelijkheid",
    "Architectuur",
    "Testen",
    "Privacy",
    "Cloud",
    "Jeugdzorg",
    "Participatie",
    "Inkoop",
    "Onderhoud",
    "Duurzaamheid",
    "UX",
    "Agile",
]
KIND_WEIGHTS = [
    (Community.Kind.COMMUNITY_OF_PRACTICE, 60),
    (Community.Kind.GUILD, 25),
    (Community.Kind.INTERVISION_GROUP, 15),
]
RSVP_WEIGHTS = [(Rsvp.Status.GOING, 60), (Rsvp.Status.MAYBE, 25), (Rsvp.Status.DECLINED, 15)]
SESSION_FORMATS = [f for f in Session.Format if f != Session.Format.INTERVISION]


def _weighted(rng: random.Random, weighted: Sequence[tuple[object, int]]):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def make_people(
    count: int, *, rng: random.Random, prefix: str = "person", start: int = 0
) -> list[User]:
    """``count`` people with unusable passwords, mostly Dutch-speaking, a quarter English."""
    people = [
        User(
            email=f"{prefix}{index:06d}@bench.kennisplein.example",
            display_name=f"{prefix.title()} {index}",
            password="!bench-unusable",  # an unusable hash: nobody logs in
            language=_weighted(rng, [("nl", 75), ("en", 25)]),
            team=rng.choice(TOPICS),
        )
        for index in range(start, start + count)
    ]
    return User.objects.bulk_create(people, batch_size=BATCH)


def make_communities(
    count: int,
    *,
    rng: random.Random,
    people: Sequence[User],
    viewer: User | None = None,
    members: tuple[int, int] = (2, 8),
    viewer_share: float = 0.1,
    start: int = 0,
) -> list[Community]:
    """``count`` communities (a fifth private, 5% archived, intervision groups private/invite),
    each with a coordinator and a few members drawn from ``people``; ``viewer`` is an active
    member of about ``viewer_share`` of them."""
    communities = []
    for index in range(start, start + count):
        kind = _weighted(rng, KIND_WEIGHTS)
        intervision = kind == Community.Kind.INTERVISION_GROUP
        private = intervision or rng.random() < 0.2
        communities.append(
            Community(
                name=f"{rng.choice(TOPICS)} {kind.label} {index:05d}",
                slug=f"bench-{index:06d}",
                kind=kind,
                purpose="Kennis delen en van elkaar leren.",
                visibility=Community.Visibility.PRIVATE if private else Community.Visibility.PUBLIC,
                join_policy=Community.JoinPolicy.INVITE
                if intervision
                else rng.choice([Community.JoinPolicy.OPEN, Community.JoinPolicy.APPROVAL]),
                archived=rng.random() < 0.05,
            )
        )
    communities = Community.objects.bulk_create(communities, batch_size=BATCH)

    others = [person for person in people if viewer is None or person.pk != viewer.pk]
    memberships = []
    for community in communities:
        chosen = rng.sample(others, k=min(len(others), rng.randint(*members)))
        for position, person in enumerate(chosen):
            memberships.append(
                Membership(
                    user=person,
                    community=community,
                    role=Membership.Role.COORDINATOR if position == 0 else Membership.Role.MEMBER,
                    state=Membership.State.ACTIVE
                    if position == 0 or rng.random() < 0.9
                    else Membership.State.PENDING,
                )
            )
        if viewer is not None and rng.random() < viewer_share:
            memberships.append(Membership(user=viewer, community=community))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return communities


def make_sessions(
    count: int,
    *,
    rng: random.Random,
    communities: Sequence[Community],
    now: datetime,
    organisation_wide: float = 0.1,
    start: int = 0,
) -> list[Session]:
    """``count`` sessions from 60 days ago to 120 days ahead, a tenth organisation-wide."""
    first = now.replace(minute=0, second=0, microsecond=0)
    sessions = []
    for index in range(start, start + count):
        community = None if rng.random() < organisation_wide else rng.choice(communities)
        begins = first + timedelta(minutes=15 * rng.randrange(-60 * 96, 120 * 96))
        session_format = rng.choice(SESSION_FORMATS)
        sessions.append(
            Session(
                community=community,
                format=session_format,
                title=f"{session_format.label} {rng.choice(TOPICS)} #{index}",
                start=begins,
                end=begins + timedelta(minutes=rng.choice([30, 60, 90, 120])),
                location=rng.choice(["", "Zaal 1", "Zaal 2", "Kantine"]),
                capacity=rng.choice([None, None, 12, 30, 80]),
                state=Session.State.CANCELLED if rng.random() < 0.03 else Session.State.SCHEDULED,
                uid=f"bench-session-{index}@kennisplein",
            )
        )
    return Session.objects.bulk_create(sessions, batch_size=BATCH)


def make_rsvps(
    *,
    rng: random.Random,
    sessions: Sequence[Session],
    people: Sequence[User],
    per_session: tuple[int, int] = (0, 6),
) -> int:
    """A few RSVPs (going, maybe, declined) per session from distinct people; returns how many."""
    rsvps = []
    for session in sessions:
        for person in rng.sample(people, k=min(len(people), rng.randint(*per_session))):
            rsvps.append(Rsvp(session=session, user=person, status=_weighted(rng, RSVP_WEIGHTS)))
    Rsvp.objects.bulk_create(rsvps, batch_size=BATCH)
    return len(rsvps)


def build_outbox_rows(
    *,
    prefix: str,
    recipients: Sequence[User],
    rendered: dict[str, RenderedMessage],
    due_at: datetime,
    kind: str = "welcome",
) -> list[OutboxMessage]:
    """Unsaved pending outbox rows, one per recipient, with already ``rendered`` content per
    language (``{"nl": …, "en": …}``) and deterministic dedupe keys and Message-IDs."""
    rows = []
    for index, recipient in enumerate(recipients):
        message = rendered[recipient.language]
        rows.append(
            OutboxMessage(
                dedupe_key=f"{prefix}:{index}",
                kind=kind,
                recipient=recipient,
                to_email=recipient.email,
                language=recipient.language,
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                message_id=f"<{prefix}.{index}@bench.kennisplein.example>",
                due_at=due_at,
            )
        )
    return rows


def make_outbox_rows(
    *,
    prefix: str,
    recipients: Sequence[User],
    rendered: dict[str, RenderedMessage],
    due_at: datetime,
    kind: str = "welcome",
) -> list[OutboxMessage]:
    """Pending outbox rows in the database (see ``build_outbox_rows``)."""
    rows = build_outbox_rows(
        prefix=prefix, recipients=recipients, rendered=rendered, due_at=due_at, kind=kind
    )
    return OutboxMessage.objects.bulk_create(rows, batch_size=BATCH)
