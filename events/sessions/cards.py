"""What the session cards of list pages show beyond the session row: who is going (faces),
seats left, and one card per series. Reads only, a fixed number of queries per page."""

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from communities.models import Membership, User
from events.models import Rsvp, Session

FACES_PER_SESSION = 4


def sessions_with_faces(user: User, sessions: list[Session]) -> list[Session]:
    """Give each session of a list page what its card shows about people: ``faces`` (up to four
    people going, for those who may see who is going: members of the session's community, and
    everyone signed in for sessions without one; others get an empty list) and ``seats_left``
    (None without a capacity). Two queries, whatever the number of sessions."""

    sessions = list(sessions)
    for session in sessions:
        session.faces = []
        session.seats_left = None
    if not sessions or not user.is_authenticated:
        return sessions
    by_id = {session.pk: session for session in sessions}
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    going = (
        Rsvp.objects.filter(session_id__in=by_id, status=Rsvp.Status.GOING)
        .filter(Q(session__community__isnull=True) | Q(session__community_id__in=member_of))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("session_id")],
                order_by=[F("created_at").asc(), F("id").asc()],
            )
        )
        .select_related("user")
    )
    for rsvp in going.filter(rank__lte=FACES_PER_SESSION).order_by("session_id", "rank"):
        by_id[rsvp.session_id].faces.append(rsvp.user)
    limited = [s.pk for s in sessions if s.capacity is not None]
    if limited:
        taken = dict(
            Rsvp.objects.filter(
                session_id__in=limited, status=Rsvp.Status.GOING, mode=Rsvp.Mode.IN_ROOM
            )
            .order_by()
            .values("session_id")
            .annotate(total=Count("id") + Sum("guests"))
            .values_list("session_id", "total")
        )
        for pk in limited:
            by_id[pk].seats_left = max(by_id[pk].capacity - taken.get(pk, 0), 0)
    return sessions


def series_folded(sessions: list[Session]) -> list[Session]:
    """One card per series: the first occurrence in the list carries ``later_dates`` (the starts
    of the series' other occurrences in the list); one-off sessions pass through. No query."""

    cards: list[Session] = []
    first_of: dict[int, Session] = {}
    for session in sessions:
        session.later_dates = []
        if session.series_id is None or session.is_cancelled:
            cards.append(session)
        elif session.series_id in first_of:
            first_of[session.series_id].later_dates.append(session.start)
        else:
            first_of[session.series_id] = session
            cards.append(session)
    return cards
