"""Where the layer above (intervision) adds to a person's recognition page, without events
importing it: it registers a count by name (``cases_brought``) at start-up; a count nobody
registered is 0. Registering twice replaces."""

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
