"""Scheduling: new sessions and series, editing, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from communities.errors import DomainError
from communities.http import posted
from communities.selectors import community_for_viewer
from events.models import Session
from events.series.recurrence import HORIZON
from events.series.services.scheduling import (
    series_cancel_rest,
    series_create,
    series_split,
    series_update_all,
)
from events.sessions.forms import (
    CancelSessionForm,
    EditSessionForm,
    NewSessionForm,
    format_defaults_help,
)
from events.sessions.permissions import can_create_session
from events.sessions.selectors import session_for_manager
from events.sessions.services.rsvp import SessionNotFound
from events.sessions.services.scheduling import session_cancel, session_create, session_update


@login_required
@require_http_methods(["GET", "POST"])
def session_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Schedule a one-off session or a series in a community (its coordinators)."""
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None or not can_create_session(request.user, community):
        raise Http404
    form = NewSessionForm(posted(request), community=community)
    if request.method == "POST" and form.is_valid():
        try:
            if form.is_series:
                series = series_create(
                    community=community,
                    actor=request.user,
                    details=form.details(),
                    recurrence=form.recurrence(),
                )
                first = series.occurrences.order_by("start", "id").first()
                count = series.occurrences.count()
                if first is None:
                    # It starts beyond the horizon: occurrences appear as it comes closer.
                    messages.success(
                        request,
                        _(
                            "The series has been scheduled. Its sessions appear on the calendar "
                            "%(days)d days ahead."
                        )
                        % {"days": HORIZON.days},
                    )
                    return redirect("community_detail", community.slug)
                messages.success(
                    request,
                    ngettext(
                        "The series has been scheduled: %(count)d session is on the calendar.",
                        "The series has been scheduled: %(count)d sessions are on the calendar.",
                        count,
                    )
                    % {"count": count},
                )
                if later := _horizon_note(form.recurrence(), count):
                    messages.info(request, later)
                return redirect("series_detail", series.pk)
            session = session_create(
                community=community, actor=request.user, details=form.details()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session has been scheduled."))
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "events/sessions/session_form.html",
        {
            "form": form,
            "community": community,
            "creating": True,
            "format_defaults": format_defaults_help(),
        },
        status=status,
    )


def _horizon_note(recurrence, made: int) -> str:
    """What a coordinator who asked for more than the calendar holds yet reads: sessions are
    planned on a rolling horizon, the rest follow by themselves."""
    if recurrence.count is not None and recurrence.count > made:
        return ngettext(
            "The other %(rest)d session appears by itself once it is within %(days)d days.",
            "The other %(rest)d sessions appear by themselves once they are within %(days)d days.",
            recurrence.count - made,
        ) % {"rest": recurrence.count - made, "days": HORIZON.days}
    if recurrence.until is None or recurrence.until > (timezone.now() + HORIZON).date():
        return _(
            "Later sessions appear by themselves once they are within %(days)d days; "
            "people going to the series are signed up for them."
        ) % {"days": HORIZON.days}
    return ""


def managed_or_404(request: HttpRequest, session_id: int) -> Session:
    session = session_for_manager(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = managed_or_404(request, session_id)
    if session.is_cancelled:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect("session_detail", session.pk)
    if session.festival_id:  # Changed on the festival's programme
        messages.error(
            request, _("A festival session is changed on the festival's programme, not here.")
        )
        return redirect("session_detail", session.pk)
    in_series = session.series_id is not None
    form = EditSessionForm(
        posted(request),
        initial=EditSessionForm.initial_for(session),
        community=session.community,
        current_format=session.format,
        in_series=in_series,
    )
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data.get("scope", EditSessionForm.THIS)
        try:
            if scope == EditSessionForm.ALL:
                series_update_all(
                    series_id=session.series_id, actor=request.user, details=form.details()
                )
                message = _("The whole series has been changed.")
            elif scope == EditSessionForm.FOLLOWING:
                series_split(session_id=session.pk, actor=request.user, details=form.details())
                message = _("This and the following sessions have been changed.")
            else:
                session_update(session_id=session.pk, actor=request.user, details=form.details())
                message = _("Your changes have been saved.")
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "events/sessions/session_form.html",
        {
            "form": form,
            "session": session,
            "community": session.community,
            "creating": False,
            "format_defaults": format_defaults_help(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = managed_or_404(request, session_id)
    if session.festival_id:  # A speaker withdraws, an organiser takes it off
        messages.error(
            request, _("A festival session is changed on the festival's programme, not here.")
        )
        return redirect("session_detail", session.pk)
    if session.is_cancelled:
        messages.info(request, _("This session has already been cancelled."))
        return redirect("session_detail", session.pk)
    in_series = session.series_id is not None
    form = CancelSessionForm(posted(request), in_series=in_series)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data.get("scope") == CancelSessionForm.REST:
                count = series_cancel_rest(session_id=session.pk, actor=request.user, reason=reason)
                message = ngettext(
                    "%(count)d session has been cancelled.",
                    "%(count)d sessions have been cancelled.",
                    count,
                ) % {"count": count}
            else:
                session_cancel(session_id=session.pk, actor=request.user, reason=reason)
                message = _("The session has been cancelled; everyone who signed up is told.")
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "events/sessions/session_cancel.html",
        {"form": form, "session": session},
        status=status,
    )
