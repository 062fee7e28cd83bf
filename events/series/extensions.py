"""Where the layer above (intervision) hears of new occurrences of a series, without events
importing it: an intervision group's occurrences get their intervision side (method, roles)
the moment they are materialised, whether by scheduling or by the hourly extension.

Listeners are registered at start-up (``AppConfig.ready``); registering twice replaces.
"""

from collections.abc import Callable

from events.series.models import Series
from events.sessions.models import Session

OccurrencesListener = Callable[[Series, list[Session]], None]

_occurrence_listeners: dict[str, OccurrencesListener] = {}


def register_occurrences_listener(name: str, listener: OccurrencesListener) -> None:
    """``listener(series, occurrences)`` runs in the transaction that made the occurrences, with
    the new ones in start order."""
    _occurrence_listeners[name] = listener


def occurrences_made(series: Series, occurrences: list[Session]) -> None:
    if not occurrences:
        return
    for listener in _occurrence_listeners.values():
        listener(series, occurrences)
