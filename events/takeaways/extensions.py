"""Where the layers above add to takeaways without events importing them: counts on a
person's recognition page (intervision registers a count by name, ``cases_brought``, at
start-up; a count nobody registered is 0), and what a takeaway without a session was kept from
(knowledge: the question of the answer). Registering twice replaces."""

from collections.abc import Callable

from communities.models import User

ContributionCount = Callable[[User], int]

_contribution_counts: dict[str, ContributionCount] = {}


def register_contribution_count(name: str, count: ContributionCount) -> None:
    """``count(person)`` says how many of ``name`` the person contributed (one query)."""
    _contribution_counts[name] = count


def contribution_count(name: str, person: User) -> int:
    count = _contribution_counts.get(name)
    return 0 if count is None else count(person)


# What a takeaway without a session was kept from (the layer above: an answer to a question):
# ``source(takeaway)`` gives ``{"title": ..., "url": ...}`` or None. One query, detail page only.
TakeawaySource = Callable[[object], dict | None]

_sources: dict[str, TakeawaySource] = {}


def register_takeaway_source(origin: str, source: TakeawaySource) -> None:
    _sources[origin] = source


def takeaway_source(takeaway) -> dict | None:
    source = _sources.get(takeaway.origin)
    return None if source is None or takeaway.session_id else source(takeaway)
