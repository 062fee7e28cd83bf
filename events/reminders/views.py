"""Reminder pages: a person's preferences, the one-click unsubscribe page, and the
coordinators' messages to a community or a session's people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.errors import DomainError
from communities.selectors import community_for_manager
from events.reminders.forms import AnnouncementForm, ReminderPreferencesForm
from events.reminders.selectors import preferences_of, unsubscribe_target
from events.reminders.services.announcements import announcement_send
from events.reminders.services.preferences import reminder_preferences_set, reminder_unsubscribe
from events.sessions.permissions import can_manage_session
from events.sessions.selectors import session_page


@login_required
@require_http_methods(["GET", "POST"])
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    prefs = preferences_of(request.user)
    form = ReminderPreferencesForm.for_preferences(prefs, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_preferences_set(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reminder preferences have been saved."))
            return redirect("reminder_preferences")
    return render(request, "events/reminders/reminder_preferences.html", {"form": form})


# RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" without cookies or a CSRF
# token; the signed token in the URL is what authorises it. GET only shows the button.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    target = unsubscribe_target(token)
    if target is None:
        raise Http404
    user, preference = target
    done = False
    if request.method == "POST":
        reminder_unsubscribe(user=user, preference=preference)
        done = True
    labels = {
        "digest": _("the weekly digest"),
        "new_sessions": _("mail about new sessions in your communities"),
        "announcements": _("messages from coordinators"),
    }
    return render(
        request,
        "events/reminders/unsubscribe.html",
        {"what": labels[preference], "done": done, "email": user.email},
    )


def _announcement_page(request, *, form, audience, back_url, community=None, session=None):
    if request.method == "POST" and form.is_valid():
        try:
            sent = announcement_send(
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                community=community,
                session=session,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message goes out to %(count)s person.",
                    "Your message goes out to %(count)s people.",
                    sent.recipients,
                )
                % {"count": sent.recipients},
            )
            return redirect(back_url)
    return render(
        request,
        "events/reminders/announcement_form.html",
        {"form": form, "audience": audience, "back_url": back_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_message(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_for_manager(user=request.user, slug=slug)
    if community is None or community.archived:
        raise Http404
    return _announcement_page(
        request,
        form=AnnouncementForm(request.POST or None),
        audience=community.name,
        back_url=reverse("community_detail", args=[community.slug]),
        community=community,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_message(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_page(user=request.user, session_id=session_id)
    if session is None or not can_manage_session(request.user, session):
        raise Http404
    return _announcement_page(
        request,
        form=AnnouncementForm(request.POST or None),
        audience=session.title,
        back_url=reverse("session_detail", args=[session.pk]),
        session=session,
    )
