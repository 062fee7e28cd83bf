"""Project-level pages: home and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communities.health.selectors import broker_ok, database_ok, worker_last_seen
from communities.selectors import community_directory
from events.sessions.selectors import my_next_sessions, sessions_upcoming


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        context = {
            "sessions": list(sessions_upcoming(request.user)[:5]),
            "my_sessions": my_next_sessions(request.user),
            "my_communities": list(community_directory(request.user).filter(is_member=True)[:8]),
        }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise (for load balancers)."""
    database = database_ok()
    broker = broker_ok()
    last_seen = worker_last_seen() if database else None
    payload = {
        "status": "ok" if database and broker else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": "ok" if broker else "unavailable",
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
    }
    return JsonResponse(payload, status=200 if database and broker else 503)
