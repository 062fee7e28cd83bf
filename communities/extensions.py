"""Where the layers above (events, intervision) plug into what the base layer shows and does.

communities never imports events or intervision. Where one of its pages or changes needs
something from above — a community's sessions and takeaways on its page, the directory's next
session, invitations after a person changes how sessions reach their calendar — the app above
registers a function here when it starts (its ``AppConfig.ready``), as it does with the
personal-data registry and the outbox's send checks. Write paths also report what they changed
(``changed``) to whoever listens (the API's webhooks). Registering twice replaces, so a test or a
reload cannot double anything.
"""

from collections.abc import Callable

from django.db.models import Expression

from communities.models import Community, User

CommunityPanel = Callable[[User, Community], dict]
DirectoryAnnotation = Callable[[], Expression]
CalendarDeliveryListener = Callable[[User], None]
AccessListener = Callable[[Community, "list[User] | None"], None]

_community_panels: dict[str, CommunityPanel] = {}
_directory_annotations: dict[str, DirectoryAnnotation] = {}
_calendar_delivery_listeners: dict[str, CalendarDeliveryListener] = {}
_access_listeners: dict[str, AccessListener] = {}
_withdrawals: dict[str, "Withdrawal"] = {}
_sso_matchers: dict[str, "SsoMatcher"] = {}
_sso_login_listeners: dict[str, "SsoLoginListener"] = {}

# Single sign-on: who a first login is (a person the directory provisioned, matched on the
# claims and addresses), and what a login's claims change (the ``groups`` claim's communities).
SsoMatcher = Callable[[dict, list[str]], "User | None"]
SsoLoginListener = Callable[[User, dict], None]


def register_community_panel(name: str, panel: CommunityPanel) -> None:
    """``panel(viewer, community)`` returns template context for the community's page."""
    _community_panels[name] = panel


def community_panels(viewer: User, community: Community) -> dict:
    """The context every registered panel adds to the community's page, merged."""
    context: dict = {}
    for panel in _community_panels.values():
        context.update(panel(viewer, community))
    return context


def register_directory_annotation(name: str, expression: DirectoryAnnotation) -> None:
    """``expression()`` is annotated on the directory's communities as ``name`` (a subquery on
    ``OuterRef("pk")``), so the directory keeps a constant number of queries."""
    _directory_annotations[name] = expression


def directory_annotations() -> dict[str, Expression]:
    return {name: expression() for name, expression in _directory_annotations.items()}


def register_calendar_delivery_listener(name: str, listener: CalendarDeliveryListener) -> None:
    """``listener(user)`` runs, inside the same transaction, after ``user`` changed how sessions
    reach their calendar (``calendar_delivery_set``)."""
    _calendar_delivery_listeners[name] = listener


def calendar_delivery_changed(user: User) -> None:
    for listener in _calendar_delivery_listeners.values():
        listener(user)


ChangeListener = Callable[[str, int, "int | None"], None]
_change_listeners: dict[str, ChangeListener] = {}


def register_change_listener(name: str, listener: ChangeListener) -> None:
    """``listener(event, object_id, community_id)`` runs, inside the transaction of the write,
    after a service changed something others may react to (``session.created``,
    ``rsvp.changed``…; the API's webhooks register here)."""
    _change_listeners[name] = listener


def changed(event: str, *, object_id: int, community_id: int | None) -> None:
    """A write path reports what it changed; nothing happens when nobody listens."""
    for listener in _change_listeners.values():
        listener(event, object_id, community_id)


def register_access_listener(name: str, listener: AccessListener) -> None:
    """``listener(community, users)`` runs, inside the same transaction, after who may see the
    community's things changed: ``users`` left or were removed, or (``None``) the community's
    visibility changed for anyone."""
    _access_listeners[name] = listener


def community_access_changed(community: Community, users: "list[User] | None" = None) -> None:
    for listener in _access_listeners.values():
        listener(community, users)


class Withdrawal:
    """One layer's part of taking a person out of everything (deactivation, erasure):
    ``preview(user)`` says in sentences what ``withdraw(user)`` will do, before staff confirm;
    ``withdraw(user)`` does it (inside the caller's transaction) and says what it did."""

    def __init__(self, preview: Callable[[User], list[str]], withdraw: Callable[[User], list[str]]):
        self.preview = preview
        self.withdraw = withdraw


def register_withdrawal(name: str, *, preview, withdraw) -> None:
    """Registered in dependency order: a layer above registers after the one below (startup)."""
    _withdrawals[name] = Withdrawal(preview, withdraw)


def withdrawal_preview(user: User, *, viewer: "User | None" = None) -> list[str]:
    """Each layer's sentences; with ``viewer``, nothing names what that viewer may not see."""
    return [line for step in _withdrawals.values() for line in step.preview(user, viewer=viewer)]


def withdrawal_run(user: User) -> list[str]:
    return [line for step in _withdrawals.values() for line in step.withdraw(user)]


# --- What an invitation offers besides membership (events: "going to the series") -----------

InvitationOffer = Callable[[User, Community], dict]
InvitationFollowUp = Callable[[User, Community, "list[str]"], "tuple[str, list[str]] | None"]
_invitation_offers: dict[str, InvitationOffer] = {}
_invitation_follow_ups: dict[str, InvitationFollowUp] = {}


def register_invitation_offer(
    name: str, offer: InvitationOffer, follow_up: InvitationFollowUp
) -> None:
    """``offer(invitee, community)`` adds context to the invitation page (its template part is
    ``<name>`` in ``communities/_invitation_offers.html``); after the invitee accepted,
    ``follow_up(user, community, chosen)`` acts on the values the page posted as ``<name>``
    and returns (where to land, messages) or None."""
    _invitation_offers[name] = offer
    _invitation_follow_ups[name] = follow_up


def invitation_offers(user: User, community: Community) -> dict:
    context: dict = {}
    for offer in _invitation_offers.values():
        context.update(offer(user, community))
    return context


def invitation_follow_ups(
    user: User, community: Community, posted: "dict[str, list[str]]"
) -> tuple[str | None, list[str]]:
    """Runs every follow-up with what was posted for it: the first landing place, all messages."""
    landing, texts = None, []
    for name, follow_up in _invitation_follow_ups.items():
        result = follow_up(user, community, posted.get(name, []))
        if result is not None:
            landing = landing or result[0]
            texts.extend(result[1])
    return landing, texts


def register_sso_matcher(name: str, matcher: "SsoMatcher") -> None:
    """``matcher(claims, emails)`` answers the existing person a first single sign-on login
    belongs to, or None."""
    _sso_matchers[name] = matcher


def sso_match(claims: dict, emails: list[str]) -> "User | None":
    for matcher in _sso_matchers.values():
        user = matcher(claims, emails)
        if user is not None:
            return user
    return None


def register_sso_login_listener(name: str, listener: "SsoLoginListener") -> None:
    """``listener(user, claims)`` runs on every single sign-on login of a known person."""
    _sso_login_listeners[name] = listener


def sso_logged_in(user: User, claims: dict) -> None:
    for listener in _sso_login_listeners.values():
        listener(user, claims)
