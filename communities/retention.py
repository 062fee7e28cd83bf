"""How long data is kept, applied: the registry of pruners the nightly job runs.

Each app registers, when it starts, a pruner per kind of data it keeps for a limited time
(``register_pruner("outbox", function)``); ``communities.services.retention.retention_apply``
runs every one of them once a night (beat) and logs what each deleted. A pruner takes
``now`` and the organisation's settings and returns the number of rows it deleted; a second run
deletes nothing more. Registering a name again replaces it, so a reload never doubles one.
"""

from collections.abc import Callable
from datetime import datetime

from communities.organisation import OrganisationSettings

Pruner = Callable[..., int]
_PRUNERS: dict[str, Pruner] = {}


def register_pruner(name: str, function: Pruner) -> None:
    _PRUNERS[name] = function


def pruners() -> dict[str, Pruner]:
    return dict(sorted(_PRUNERS.items()))


def prune(name: str, *, now: datetime, settings: OrganisationSettings) -> int:
    return _PRUNERS[name](now=now, settings=settings)
