"""Project-level pages: home and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communities.health.selectors import broker_ok, database_ok, worker_last_seen
from communities.mail.selectors import mail_circuit, outbox_summary
from communities.selectors import community_directory, invitations_for
from events.sessions.cards import sessions_with_faces
from events.sessions.selectors import my_next_sessions, sessions_upcoming


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        context = {
            "sessions": sessions_with_faces(request.user, sessions_upcoming(request.user)[:5]),
            "my_sessions": sessions_with_faces(request.user, my_next_sessions(request.user)),
            "my_communities": list(community_directory(request.user).filter(is_member=True)[:8]),
            "invitations": list(invitations_for(request.user).select_related("invited_by")[:10]),
        }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise (for load balancers).

    ``outbox`` tells operators whether mail is moving: the mail server's circuit (``open``
    while it is not answering, with ``since``), the oldest due message and the lag in seconds.
    An open circuit does not make the answer 503: the web app itself works. The server's error
    text stays on the staff page (the health check is public)."""
    database = database_ok()
    broker = broker_ok()
    last_seen = worker_last_seen() if database else None
    payload = {
        "status": "ok" if database and broker else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": "ok" if broker else "unavailable",
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
        "outbox": _outbox_health() if database else None,
    }
    return JsonResponse(payload, status=200 if database and broker else 503)


def _outbox_health() -> dict:
    circuit = mail_circuit()
    summary = outbox_summary()
    is_open = circuit.state == circuit.State.OPEN
    return {
        "circuit": circuit.state,
        "since": circuit.opened_at.isoformat() if is_open else None,
        "due": summary["due"],
        "oldest_due": summary["oldest_due"].isoformat() if summary["oldest_due"] else None,
        "lag_seconds": int(summary["lag"].total_seconds()) if summary["lag"] else 0,
    }
