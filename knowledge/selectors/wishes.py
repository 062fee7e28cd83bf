"""Topic wishes the viewer may see, sorted by interest for coordinators, and date polls."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from communities.models import User
from knowledge.models import DatePoll, PollOption, PollVote, Wish, WishInterest
from knowledge.permissions import community_readable_q
from knowledge.rules import poll_winner

ATTEND = WishInterest.Kind.ATTEND
VOLUNTEER = WishInterest.Kind.VOLUNTEER


def wishes_visible_to(user: User) -> QuerySet[Wish]:
    if not user.is_authenticated:
        return Wish.objects.none()
    return Wish.objects.filter(community_readable_q(user))


def with_interest(queryset: QuerySet[Wish], user: User) -> QuerySet[Wish]:
    return queryset.select_related("community", "author", "session").annotate(
        attend_count=Count("interests", filter=Q(interests__kind=ATTEND), distinct=True),
        volunteer_count=Count("interests", filter=Q(interests__kind=VOLUNTEER), distinct=True),
        i_attend=Exists(
            WishInterest.objects.filter(wish=OuterRef("pk"), user_id=user.pk, kind=ATTEND)
        ),
        i_volunteer=Exists(
            WishInterest.objects.filter(wish=OuterRef("pk"), user_id=user.pk, kind=VOLUNTEER)
        ),
    )


def wish_list(user: User, *, community_slug: str = "", include_done: bool = False):
    """The wishes page, most interest first (what coordinators plan from). Constant queries."""
    queryset = wishes_visible_to(user)
    if community_slug:
        queryset = queryset.filter(community__slug=community_slug)
    if not include_done:
        queryset = queryset.filter(state__in=[Wish.State.OPEN, Wish.State.POLLING])
    return with_interest(queryset, user).order_by(
        "-attend_count", "-volunteer_count", "-created_at", "-id"
    )


def wish_for_viewer(*, user: User, wish_id: int) -> Wish | None:
    return with_interest(wishes_visible_to(user), user).filter(pk=wish_id).first()


def wish_people(wish: Wish) -> dict[str, list[User]]:
    """Who said "I'd come" and who volunteered (names are shown to those who may see the wish)."""
    people: dict[str, list[User]] = {ATTEND: [], VOLUNTEER: []}
    for interest in (
        WishInterest.objects.filter(wish=wish, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "id")
    ):
        people[interest.kind].append(interest.user)
    return people


def poll_grid(poll: DatePoll) -> dict:
    """The poll as a grid: the options (columns), each voter's answer per option (rows), the
    tallies and the option that wins (most yes, then most "if need be", then the earliest)."""
    options = list(
        PollOption.objects.filter(poll=poll)
        .prefetch_related(Prefetch("votes", queryset=PollVote.objects.select_related("user")))
        .order_by("start", "id")
    )
    voters: dict[int, User] = {}
    answers: dict[tuple[int, int], str] = {}
    tallies = []
    for option in options:
        counts = {"yes": 0, "maybe": 0, "no": 0}
        for vote in option.votes.all():
            voters[vote.user_id] = vote.user
            answers[(vote.user_id, option.pk)] = vote.answer
            counts[vote.answer] += 1
        option.tally = counts
        tallies.append((counts["yes"], counts["maybe"], counts["no"]))
    winner = poll_winner(tallies)
    rows = [
        {"user": user, "answers": [answers.get((user.pk, o.pk), "") for o in options]}
        for user in sorted(voters.values(), key=lambda u: (u.name.lower(), u.pk))
    ]
    return {
        "options": options,
        "rows": rows,
        "winner": options[winner] if winner is not None else None,
    }


def my_votes(poll: DatePoll, user: User) -> dict[int, str]:
    return dict(
        PollVote.objects.filter(option__poll=poll, user=user).values_list("option_id", "answer")
    )
