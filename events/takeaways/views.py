"""Takeaway pages: capture, search, a takeaway, edit and review, helpful marks,
hiding, per-community and per-tag pages, exports, insights, and the recognition page.

Reads go through selectors that take the viewer; what the viewer may not read answers 404.
Services raise DomainError for anything a person can get wrong: the message is shown and nothing
changes. Links in mail only ever land on pages (GET changes nothing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.csv import csv_response
from communities.errors import DomainError
from communities.http import first_error, query_without_page
from communities.models import Community
from communities.selectors import active_person, communities_visible_to, community_for_viewer
from events.sessions.selectors import (
    session_page,
)
from events.sessions.services.rsvp import SessionNotFound
from events.sessions.views.session import session_page_context
from events.takeaways.extensions import takeaway_source
from events.takeaways.forms import (
    HideForm,
    ReviewForm,
    TakeawayEditForm,
    TakeawayForm,
    TakeawaySearchForm,
)
from events.takeaways.permissions import may_write_takeaway
from events.takeaways.selectors.freshness import community_freshness, review_due_for_owner
from events.takeaways.selectors.reading import (
    attach_helpful,
    community_takeaways,
    tag_by_slug,
    tags_visible_to,
    takeaway_for_lead,
    takeaway_for_owner,
    takeaway_for_viewer,
)
from events.takeaways.selectors.recognition import contributions_of, person_shared_takeaways
from events.takeaways.selectors.search import TakeawayFilters, search_page, takeaway_search
from events.takeaways.services import (
    TakeawayNotFound,
    contributions_visibility_set,
    helpful_set,
    takeaway_archive,
    takeaway_create,
    takeaway_hide,
    takeaway_reconfirm,
    takeaway_supersede,
    takeaway_unhide,
    takeaway_update,
)

PER_PAGE = 20


# --- Capture ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def takeaway_create_view(
    request: HttpRequest, session_id: int, on_session_page: bool = False
) -> HttpResponse:
    """Writing a takeaway of a session, from one of two places.

    On its own page (``/sessions/<id>/takeaways/new/``, where the prompt mail's link lands):
    GET shows the form prefilled from the query string, a saved takeaway opens, errors stay on
    the page. From the form on the session page (``on_session_page``, POST only): success and
    refusals go back to the session page, form errors are shown on it. People who may not
    write one are sent back to the session with the reason.
    """
    if on_session_page and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = session_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    if not on_session_page and not may_write_takeaway(request.user, session):
        return _may_not_write(request, session)
    if request.method == "GET":
        form = TakeawayForm.prefilled(session, request.GET)
        return render(request, "events/takeaways/form.html", {"form": form, "session": session})
    form = TakeawayForm(request.POST, session=session)
    if form.is_valid():
        try:
            takeaway = takeaway_create(session_id=session.pk, author=request.user, **form.values())
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            if on_session_page:
                messages.error(request, error.message)
                return redirect("session_detail", session.pk)
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your takeaway has been saved."))
            if on_session_page:
                return redirect("session_detail", session.pk)
            return redirect("takeaway_detail", takeaway.pk)
    if not on_session_page:
        return render(
            request, "events/takeaways/form.html", {"form": form, "session": session}, status=400
        )
    if not may_write_takeaway(request.user, session):
        return _may_not_write(request, session)
    context = session_page_context(request, session, takeaway_form=form)
    return render(request, "events/sessions/session_detail.html", context, status=400)


def _may_not_write(request: HttpRequest, session) -> HttpResponse:
    messages.error(
        request, _("Takeaways can be added from the start of the session by people who came.")
    )
    return redirect("session_detail", session.pk)


# --- Search and lists ---------------------------------------------------------------------------


def _filters(form: TakeawaySearchForm, **fixed) -> TakeawayFilters:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    values = {
        "q": data.get("q") or "",
        "community": data.get("community") or "",
        "tag": data.get("tag") or "",
        "format": data.get("format") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "include_archived": bool(data.get("include_archived")),
    }
    values.update(fixed)
    return TakeawayFilters(**values)


def _search_context(request: HttpRequest, filters: TakeawayFilters, form) -> dict:
    page = search_page(request.user, filters, number=request.GET.get("page"), per_page=PER_PAGE)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "query_string": query_without_page(request),
        "communities": list(communities_visible_to(request.user).order_by("name")),
        "popular_tags": tags_visible_to(request.user, limit=20),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def takeaway_search_view(request: HttpRequest) -> HttpResponse:
    form = TakeawaySearchForm(request.GET or None)
    context = _search_context(request, _filters(form), form)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/takeaways/search.html", context, status=status)


@login_required
@require_GET
def takeaway_tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = tag_by_slug(slug)
    if tag is None:
        raise Http404
    form = TakeawaySearchForm(request.GET or None)
    context = _search_context(request, _filters(form, tag=tag.slug), form)
    context["tag"] = tag
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/takeaways/search.html", context, status=status)


# --- One takeaway -------------------------------------------------------------------------------


def _readable_or_404(request: HttpRequest, takeaway_id: int):
    takeaway = takeaway_for_viewer(user=request.user, takeaway_id=takeaway_id)
    if takeaway is None:
        raise Http404
    return takeaway


@login_required
@require_GET
def takeaway_detail(request: HttpRequest, takeaway_id: int) -> HttpResponse:
    takeaway = _readable_or_404(request, takeaway_id)
    user = request.user
    owns = user.pk in (takeaway.author_id, takeaway.owner_id)
    leads = takeaway_for_lead(user=user, takeaway_id=takeaway.pk) is not None
    return render(
        request,
        "events/takeaways/detail.html",
        {
            "takeaway": takeaway,
            "source": takeaway_source(takeaway),
            "owns": owns,
            "leads": leads,
            "today": timezone.localdate(),
            "review_form": ReviewForm(),
            "hide_form": HideForm(initial={"reason": takeaway.hidden_reason}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def takeaway_edit(request: HttpRequest, takeaway_id: int) -> HttpResponse:
    takeaway = takeaway_for_owner(user=request.user, takeaway_id=takeaway_id)
    if takeaway is None:
        raise Http404
    session = takeaway.session
    if request.method == "GET":
        initial = {
            "title": takeaway.title,
            "body": takeaway.body,
            "kind": takeaway.kind,
            "tags": ", ".join(tag.name for tag in takeaway.tags.all()),
            "who_benefits": takeaway.who_benefits,
            "action": takeaway.action,
            "action_due": takeaway.action_due,
            "visibility": takeaway.visibility,
        }
        form = TakeawayEditForm(session=session, community=takeaway.home_community, initial=initial)
        return render(
            request,
            "events/takeaways/form.html",
            {"form": form, "session": session, "takeaway": takeaway},
        )
    form = TakeawayEditForm(request.POST, session=session, community=takeaway.home_community)
    if form.is_valid():
        try:
            takeaway_update(
                takeaway_id=takeaway.pk,
                user=request.user,
                as_review=form.cleaned_data["as_review"],
                **form.values(),
            )
        except TakeawayNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your takeaway has been saved."))
            return redirect("takeaway_detail", takeaway.pk)
    return render(
        request,
        "events/takeaways/form.html",
        {"form": form, "session": session, "takeaway": takeaway},
        status=400,
    )


@login_required
@require_POST
def takeaway_review(request: HttpRequest, takeaway_id: int) -> HttpResponse:
    """The owner's review: reconfirm, archive, or supersede with a newer takeaway."""
    takeaway = takeaway_for_owner(user=request.user, takeaway_id=takeaway_id)
    if takeaway is None:
        raise Http404
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(first_error(form))
        action = form.cleaned_data["action"]
        if action == "reconfirm":
            takeaway_reconfirm(takeaway_id=takeaway.pk, user=request.user)
            messages.success(request, _("Thank you: reconfirmed as still up to date."))
        elif action == "archive":
            takeaway_archive(takeaway_id=takeaway.pk, user=request.user)
            messages.success(request, _("Archived."))
        else:
            takeaway_supersede(
                takeaway_id=takeaway.pk,
                user=request.user,
                by_id=form.cleaned_data["superseded_by"],
            )
            messages.success(request, _("Marked as replaced by the newer takeaway."))
    except TakeawayNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("takeaway_detail", takeaway.pk)


@login_required
@require_POST
def takeaway_helpful(request: HttpRequest, takeaway_id: int) -> HttpResponse:
    takeaway = _readable_or_404(request, takeaway_id)
    helpful = request.POST.get("helpful") != "0"
    try:
        helpful_set(takeaway_id=takeaway.pk, user=request.user, helpful=helpful)
    except TakeawayNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("takeaway_detail", takeaway.pk)


@login_required
@require_POST
def takeaway_hide_view(request: HttpRequest, takeaway_id: int) -> HttpResponse:
    """A community's coordinator hides a takeaway (with a reason) or shows it again."""
    takeaway = takeaway_for_lead(user=request.user, takeaway_id=takeaway_id)
    if takeaway is None:
        raise Http404
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(first_error(form))
        if form.cleaned_data["hide"] == "hide":
            takeaway_hide(
                takeaway_id=takeaway.pk, lead=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Hidden from the community; the author sees why."))
        else:
            takeaway_unhide(takeaway_id=takeaway.pk, lead=request.user)
            messages.success(request, _("Shown to the community again."))
    except TakeawayNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("takeaway_detail", takeaway.pk)


# --- A community's takeaways and exports -------------------------------------------------------


CSV_COLUMNS = [
    "id",
    "title",
    "body",
    "kind",
    "tags",
    "who_benefits",
    "action",
    "action_due",
    "session",
    "session_date",
    "author",
    "visibility",
    "review_due",
    "status",
    "helpful",
]


def _export_csv(takeaways, filename: str) -> HttpResponse:
    return csv_response(
        filename=f"{filename}.csv",
        header=CSV_COLUMNS,
        rows=(
            (
                t.pk,
                t.title,
                t.body,
                t.kind,
                ", ".join(tag.name for tag in t.tags.all()),
                t.who_benefits,
                t.action,
                t.action_due.isoformat() if t.action_due else "",
                t.session.title if t.session_id else "",
                timezone.localdate(t.session.start).isoformat() if t.session_id else "",
                t.author.name if t.author else "",
                t.visibility,
                t.review_due.isoformat() if t.review_due else "",
                t.status,
                t.helpful_count,
            )
            for t in takeaways
        ),
    )


def _export_markdown(community: Community, takeaways, filename: str) -> HttpResponse:
    text = render_to_string(
        "events/takeaways/export.md", {"community": community, "takeaways": takeaways}
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
    return response


@login_required
@require_GET
def community_takeaways_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's takeaways (search within it), freshness, and exports (?export=md|csv)."""
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None:
        raise Http404
    export = request.GET.get("export", "")
    if export:
        if export not in ("md", "csv"):
            return HttpResponse(_("Choose md or csv."), status=400, content_type="text/plain")
        takeaways = attach_helpful(
            takeaway_search(request.user, TakeawayFilters(community=community.slug)).order_by(
                "-session__start", "-id"
            ),
            request.user,
        )
        filename = f"takeaways-{slugify(community.slug)}"
        if export == "csv":
            return _export_csv(takeaways, filename)
        return _export_markdown(community, takeaways, filename)
    form = TakeawaySearchForm(request.GET or None)
    context = _search_context(request, _filters(form, community=community.slug), form)
    _recent, helpful = community_takeaways(
        user=request.user, community=community, with_recent=False
    )
    context.update(
        {
            "community": community,
            "freshness": community_freshness(community),
            "most_helpful": helpful,
        }
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/takeaways/search.html", context, status=status)


# --- Recognition (opt-in) -----------------------------------------------------------------------


@login_required
@require_GET
def person_contributions(request: HttpRequest, user_id: int) -> HttpResponse:
    """What a person shared: for everyone when they opted in, otherwise only for themselves."""
    person = active_person(user_id)
    me = request.user.pk == user_id
    if person is None or not (me or person.show_contributions):
        raise Http404
    return render(
        request,
        "events/takeaways/person.html",
        {
            "person": person,
            "me": me,
            "contributions": contributions_of(person),
            "takeaways": person_shared_takeaways(viewer=request.user, person=person),
            "review_due": review_due_for_owner(user=person) if me else [],
        },
    )


@login_required
@require_POST
def contributions_setting(request: HttpRequest) -> HttpResponse:
    show = request.POST.get("show") == "1"
    contributions_visibility_set(user=request.user, show=show)
    if show:
        messages.success(request, _("Others can now see what you shared."))
    else:
        messages.success(request, _("What you shared is now visible only to you."))
    return redirect("person_contributions", request.user.pk)
