"""The token page (/me/tokens/) and the webhook pages (/organisation/webhooks/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from api.pages.forms import TokenForm, WebhookForm
from api.tokens.selectors import service_tokens_for, tokens_of
from api.tokens.services import api_token_create, api_token_revoke
from api.webhooks.selectors import (
    communities_led_by,
    delivery_log,
    endpoint_for_manager,
    endpoints_visible_to,
    may_see_webhooks,
)
from api.webhooks.services import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_secret_rotate,
    webhook_test_send,
)
from communities.errors import DomainError
from communities.http import posted


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    staff = request.user.is_staff
    form = TokenForm(posted(request), staff=staff)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        kind = ApiToken.Kind.SERVICE if form.cleaned_data.get("service") else ApiToken.Kind.PERSONAL
        try:
            made = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                kind=kind,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            # Shown once, on this answer only (never stored, never in a redirect).
            new_secret = made.secret
            form = TokenForm(staff=staff)
    context = {
        "form": form,
        "new_secret": new_secret,
        "tokens": tokens_of(request.user),
        "service_tokens": service_tokens_for(request.user),
    }
    response = render(request, "api/tokens.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        api_token_revoke(actor=request.user, token_id=token_id)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("The token has been revoked."))
    return redirect("api_tokens")


def _webhooks_allowed(request: HttpRequest) -> None:
    if not may_see_webhooks(request.user):
        raise Http404


def _endpoint_or_404(request: HttpRequest, endpoint_id: int):
    endpoint = endpoint_for_manager(user=request.user, endpoint_id=endpoint_id)
    if endpoint is None:
        raise Http404
    return endpoint


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest) -> HttpResponse:
    _webhooks_allowed(request)
    form = WebhookForm(
        posted(request), communities=communities_led_by(request.user), staff=request.user.is_staff
    )
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_endpoint_create(
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                community=form.chosen_community(),
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The webhook has been added."))
            return redirect("webhook_detail", endpoint.pk)
    context = {"form": form, "endpoints": endpoints_visible_to(request.user)}
    return render(request, "api/webhooks.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_id)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
    }
    form = WebhookForm(posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_endpoint_update(
                actor=request.user,
                endpoint_id=endpoint.pk,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                active=form.cleaned_data["active"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The webhook has been saved."))
            return redirect("webhook_detail", endpoint.pk)
    context = {"endpoint": endpoint, "form": form, "deliveries": delivery_log(endpoint)}
    response = render(
        request, "api/webhook_detail.html", context, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def webhook_action(request: HttpRequest, endpoint_id: int, action: str) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_id)
    if action == "test":
        webhook_test_send(actor=request.user, endpoint_id=endpoint.pk)
        messages.success(request, _("A test event is on its way."))
    elif action == "rotate":
        webhook_secret_rotate(actor=request.user, endpoint_id=endpoint.pk)
        messages.success(request, _("The signing secret has been replaced."))
    else:
        webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint.pk)
        messages.success(request, _("The webhook has been removed."))
        return redirect("webhooks")
    return redirect("webhook_detail", endpoint.pk)
