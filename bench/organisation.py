"""A whole organisation built inside PostgreSQL: ``INSERT … SELECT generate_series`` per table.

At ``people=50_000`` (the scale scenario at its default scale): 50,000 people, 500 communities
(a fifth private, a tenth intervision groups), 150,000 memberships, 100,000 sessions over two
years and four months (one in seven upcoming), 1,000,000 RSVPs and 20,000 takeaways, in a few minutes: no row
passes through Python. The same function builds the 50-person organisation the scale scenario
compares against, with the same shape per community and per person.

Columns the statements do not name get their model field's default (or NULL), read from the
models, so a new column with a default does not break the generator. Nothing here goes through
the services: this is the starting state, the scenario measures the pages.
"""

from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Rsvp, Session, Takeaway

MEMBERSHIPS_PER_PERSON = 3
RSVPS_PER_SESSION = 10
SESSIONS_PER_COMMUNITY = 200
PEOPLE_PER_COMMUNITY = 100
TAKEAWAY_EVERY = 5  # one takeaway per 5 sessions
WORDS = [
    "vergadering", "samenwerking", "toegankelijkheid", "architectuur", "privacy", "testen",
    "security", "deployment", "onboarding", "feedback", "kwaliteit", "planning", "datamodel",
    "retrospective", "accessibility", "pipeline", "monitoring", "cloud", "budget", "inkoop",
]  # fmt: skip


@dataclass(frozen=True)
class Organisation:
    people: int
    communities: int
    sessions: int
    first_user_id: int
    first_community_id: int
    first_session_id: int

    def person(self, index: int) -> User:
        return User.objects.get(pk=self.first_user_id + index)


def _defaults(model: type[models.Model], named: set[str]) -> tuple[list[str], list[object]]:
    """The columns the statement does not name, with their default as a parameter."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in named:
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.BooleanField):
            value = False
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise RuntimeError(f"{model.__name__}.{field.name} needs a value in the generator")
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, values


def _insert(model: type[models.Model], count: int, expressions: dict[str, str], **params) -> int:
    """``INSERT INTO <table> (…) SELECT <expressions> FROM generate_series(1, count) AS g``;
    ``expressions`` are SQL over ``g`` (and ``%(name)s`` parameters); returns the first new id."""
    columns, defaults = _defaults(model, set(expressions))
    names = list(expressions) + columns
    # a bare % is the modulo operator in SQL but a placeholder to the driver
    select = [sql.replace(" % ", " %% ") for sql in expressions.values()] + [
        f"%(default_{i})s" for i in range(len(defaults))
    ]
    params.update({f"default_{i}": value for i, value in enumerate(defaults)})
    params["count"] = count
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        (first_id,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {table} ({quoted}) SELECT {', '.join(select)}"
            " FROM generate_series(1, %(count)s) AS g ON CONFLICT DO NOTHING",
            params,
        )
    return first_id


def build(*, people: int, prefix: str) -> Organisation:
    """An organisation of ``people`` people with communities, sessions, answers and takeaways
    in the proportions of the module docstring. ``prefix`` keeps names and e-mails unique."""
    communities = max(people // PEOPLE_PER_COMMUNITY, 5)
    sessions = communities * SESSIONS_PER_COMMUNITY
    now = timezone.now()
    first_user = _insert(
        User,
        people,
        {
            "password": "'!bench-unusable'",
            "email": f"'{prefix}' || g || '@scale.kennisplein.example'",
            "display_name": f"'{prefix.title()} ' || g",
            "language": "CASE WHEN g % 4 = 0 THEN 'en' ELSE 'nl' END",
            "team": "'Team ' || (g % 40)",
            "date_joined": "%(now)s - (g % 700) * interval '1 day'",
        },
        now=now,
    )
    first_community = _insert(
        Community,
        communities,
        {
            "name": f"'{prefix.title()} community ' || g",
            "slug": f"'{prefix}-community-' || g",
            "kind": "CASE WHEN g % 10 = 0 THEN 'intervision_group'"
            " WHEN g % 4 = 0 THEN 'guild' ELSE 'community_of_practice' END",
            "visibility": "CASE WHEN g % 10 = 0 OR g % 5 = 1 THEN 'private' ELSE 'public' END",
            "join_policy": "CASE WHEN g % 10 = 0 THEN 'invite' ELSE 'open' END",
            "purpose": "'Samen leren over ' || g",
            "created_at": "%(now)s - interval '800 days'",
            "updated_at": "%(now)s - interval '800 days'",
        },
        now=now,
    )
    # Memberships: person g is in MEMBERSHIPS_PER_PERSON communities (distinct by construction),
    # one in twenty has left, one in fifty coordinates.
    memberships = people * MEMBERSHIPS_PER_PERSON
    _insert(
        Membership,
        memberships,
        {
            "user_id": f"%(u)s + (g - 1) / {MEMBERSHIPS_PER_PERSON}",
            "community_id": f"%(c)s + ((g - 1) / {MEMBERSHIPS_PER_PERSON} * 7"
            f" + ((g - 1) % {MEMBERSHIPS_PER_PERSON}) * 131) %% %(communities)s",
            "role": "CASE WHEN g % 50 = 1 THEN 'coordinator' ELSE 'member' END",
            "state": "CASE WHEN g % 20 = 0 THEN 'left' ELSE 'active' END",
            "joined_at": "%(now)s - (g % 700 + 30) * interval '1 day'",
            "left_at": "CASE WHEN g % 20 = 0 THEN %(now)s - (g % 29) * interval '1 day' END",
            "created_at": "%(now)s - (g % 700 + 30) * interval '1 day'",
            "updated_at": "%(now)s",
        },
        u=first_user,
        c=first_community,
        communities=communities,
        now=now,
    )
    # Sessions: spread over two years back and four months ahead (one in seven upcoming, as in
    # an organisation with history); one in 50 organisation-wide, one in 33 cancelled.
    first_session = _insert(
        Session,
        sessions,
        {
            "community_id": "CASE WHEN g % 50 = 0 THEN NULL ELSE %(c)s + g %% %(communities)s END",
            "format": "(ARRAY['brown_bag','workshop','meetup','kenniscafe','knowledge_session',"
            "'lightning'])[1 + g % 6]",
            "title": "'Sessie ' || g || ' over ' || (ARRAY['data','privacy','cloud','testen'])"
            "[1 + g % 4]",
            "start": "%(now)s + ((g * 7919) %% 850 - 730) * interval '1 day'"
            " + (g % 8) * interval '1 hour'",
            "end": "%(now)s + ((g * 7919) %% 850 - 730) * interval '1 day'"
            " + (g % 8 + 1) * interval '1 hour'",
            "timezone": "'Europe/Amsterdam'",
            "state": "CASE WHEN g % 33 = 0 THEN 'cancelled' ELSE 'scheduled' END",
            "uid": f"'{prefix}-session-' || g || '@bench.kennisplein'",
            "created_at": "%(now)s - interval '400 days'",
            "updated_at": "%(now)s - interval '400 days'",
        },
        c=first_community,
        communities=communities,
        now=now,
    )
    # RSVPs: RSVPS_PER_SESSION distinct people per session; past ones mostly with attendance.
    _insert(
        Rsvp,
        sessions * RSVPS_PER_SESSION,
        {
            "session_id": f"%(s)s + (g - 1) / {RSVPS_PER_SESSION}",
            "user_id": f"%(u)s + (((g - 1) / {RSVPS_PER_SESSION}) * 37"
            f" + ((g - 1) % {RSVPS_PER_SESSION}) * 4999) %% %(people)s",
            "status": "CASE WHEN g % 20 < 12 THEN 'going' WHEN g % 20 < 17 THEN 'maybe'"
            " ELSE 'declined' END",
            "attended": "CASE WHEN g % 7 = 0 THEN false WHEN g % 3 = 0 THEN true END",
            "mode": "'in_room'",
            "created_at": "%(now)s - interval '30 days'",
            "updated_at": "%(now)s - interval '30 days'",
        },
        s=first_session,
        u=first_user,
        people=people,
        now=now,
    )
    Session.hosts.through.objects.bulk_create(
        [
            Session.hosts.through(session_id=first_session + n, user_id=first_user + n % people)
            for n in range(0, sessions, 10)
        ],
        batch_size=2_000,
    )
    words = "(ARRAY[" + ",".join(f"'{word}'" for word in WORDS) + "])"
    _insert(
        Takeaway,
        sessions // TAKEAWAY_EVERY,
        {
            "session_id": f"%(s)s + (g * {TAKEAWAY_EVERY}) %% %(sessions)s",
            "author_id": "%(u)s + g %% %(people)s",
            "owner_id": "%(u)s + g %% %(people)s",
            "title": f"initcap({words}[1 + g % 20]) || ' en ' || {words}[1 + (g * 7) % 20]",
            "body": f"'Wat ik leerde over ' || {words}[1 + (g * 3) % 20] || ' en '"
            f" || {words}[1 + (g * 11) % 20] || ' bij ' || g",
            "visibility": "CASE WHEN g % 10 < 6 THEN 'organisation' WHEN g % 10 < 9"
            " THEN 'community' ELSE 'private' END",
            "review_due": "(%(now)s + ((g % 600) - 120) * interval '1 day')::date",
            "created_at": "%(now)s - (g % 700) * interval '1 day'",
            "updated_at": "%(now)s - (g % 700) * interval '1 day'",
        },
        s=first_session,
        u=first_user,
        people=people,
        sessions=sessions,
        now=now,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Organisation(
        people=people,
        communities=communities,
        sessions=sessions,
        first_user_id=first_user,
        first_community_id=first_community,
        first_session_id=first_session,
    )


def empty() -> None:
    """Remove everything ``build`` made (and what hangs off it), ids restarting at 1."""
    tables = [
        model._meta.db_table
        for model in (Takeaway, Rsvp, Session.hosts.through, Session, Membership, Community, User)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
