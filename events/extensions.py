"""Where the layers above events (learning) plug into what events' pages show.

events never imports learning. Where one of its pages needs something from above — the
knowledge articles linked to a session on the session's page — the app above registers a
function here when it starts (its ``AppConfig.ready``), as it does with
``communities.extensions``. Registering twice replaces, so a test or a reload cannot double
anything.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from communities.models import User
from events.models import Session


@dataclass(frozen=True)
class Panel:
    """One part of a page drawn by a layer above: its template and that template's context
    (under ``panel`` in the template)."""

    template: str
    context: dict = field(default_factory=dict)


SessionPanel = Callable[[User, Session], "Panel | None"]

_session_panels: dict[str, SessionPanel] = {}


def register_session_panel(name: str, panel: SessionPanel) -> None:
    """``panel(viewer, session)`` returns what the session's page shows for it, or None to show
    nothing. It must run a fixed number of queries, whatever it finds."""
    _session_panels[name] = panel


def session_panels(viewer: User, session: Session) -> list[Panel]:
    """The panels every registered function draws on the session's page, in registration order."""
    panels = (panel(viewer, session) for panel in _session_panels.values())
    return [panel for panel in panels if panel is not None]


# --- Links into the layers above (a leermarkt stand's material pointing at an article) -------

LinkGuard = Callable[[User, "list[str]"], "set[str]"]

_link_guards: dict[str, LinkGuard] = {}


def register_link_guard(name: str, guard: LinkGuard) -> None:
    """``guard(viewer, urls)`` answers which of ``urls`` point at something of its layer in this
    app that ``viewer`` may not see (those others pass); one query at most, whatever the number
    of links."""
    _link_guards[name] = guard


def hidden_links(viewer: User, urls: "list[str]") -> set[str]:
    """The links, of ``urls``, that some layer says ``viewer`` may not follow."""
    hidden: set[str] = set()
    for guard in _link_guards.values():
        hidden |= guard(viewer, urls)
    return hidden
