"""Knowledge article pages: the list and search, one article, writing and editing, versions and
their differences, files (served only to readers), co-authors, reviews and linked sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import first_error, posted, query_without_page
from communities.markdown import render_markdown
from communities.models import Membership
from communities.selectors import communities_visible_to
from events.sessions.selectors import sessions_upcoming
from learning.articles import rules, selectors
from learning.articles.forms import (
    ArticleEditForm,
    ArticleNewForm,
    ArticleSearchForm,
    CoauthorForm,
    DiffForm,
    FileForm,
    SessionsForm,
    SupersedeForm,
)
from learning.articles.permissions import can_edit_article, can_review_article
from learning.articles.services import (
    article_archive,
    article_coauthor_add,
    article_coauthor_remove,
    article_create,
    article_file_add,
    article_file_remove,
    article_review,
    article_sessions_set,
    article_supersede,
    article_update,
)

PER_PAGE = 20


def _article_or_404(request: HttpRequest, article_id: int):
    article = selectors.article_for_viewer(user=request.user, article_id=article_id)
    if article is None:
        raise Http404
    return article


def _coauthor_ids(article) -> set[int]:
    return {c.user_id for c in article.coauthorships.all()}


def _editable_or_404(request: HttpRequest, article_id: int):
    article = _article_or_404(request, article_id)
    if not can_edit_article(request.user, article, coauthor_ids=_coauthor_ids(article)):
        raise Http404
    return article


def _writable_communities(user):
    """Communities the person belongs to (where they may write), in one query."""
    return list(
        communities_visible_to(user)
        .filter(
            archived=False,
            memberships__user=user,
            memberships__state=Membership.State.ACTIVE,
        )
        .order_by("name", "id")
    )


@login_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """Articles I may read, fresh first; search in title and text (Dutch and English)."""
    form = ArticleSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ArticleFilters(
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        community=data.get("community", ""),
        include_archived=bool(data.get("archived")),
    )
    page = Paginator(selectors.article_search(request.user, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/articles/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filters": filters,
            "looked_after": list(
                communities_visible_to(request.user)
                .filter(
                    archived=False,
                    memberships__user=request.user,
                    memberships__state=Membership.State.ACTIVE,
                    memberships__role=Membership.Role.AMBASSADOR,
                )
                .order_by("name", "id")
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    communities = _writable_communities(request.user)
    form = ArticleNewForm(posted(request), communities=communities)
    if request.method == "GET" and request.GET.get("community"):
        chosen = next((c for c in communities if c.slug == request.GET["community"]), None)
        if chosen is not None:
            form.initial["community"] = chosen.pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = next((c for c in communities if c.pk == data["community"]), None)
        try:
            if data["community"] is not None and community is None:
                raise DomainError(_("You can write articles in your own communities."))
            article = article_create(
                author=request.user,
                community=community,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                review_months=data["review_months"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The article is published."))
            return redirect("learning:article_detail", article.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/articles/new.html", {"form": form}, status=status)


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(request, article_id)
    coauthors = _coauthor_ids(article)
    may_edit = can_edit_article(request.user, article, coauthor_ids=coauthors)
    images = reverse("learning:article_detail", args=[article.pk]) + "files/"
    return render(
        request,
        "learning/articles/detail.html",
        {
            "article": article,
            "body": render_markdown(article.body, images_under=images),
            "may_edit": may_edit,
            "may_review": can_review_article(request.user, article, coauthor_ids=coauthors),
            "file_form": FileForm(),
            "coauthor_form": CoauthorForm(),
            "supersede_form": SupersedeForm(),
            "sessions_form": SessionsForm(
                initial={"sessions": [s.pk for s in article.sessions.all()]},
                sessions=_session_choices(request.user, article) if may_edit else (),
            ),
        },
    )


def _session_choices(user, article):
    upcoming = list(sessions_upcoming(user)[:50])
    linked = [s for s in article.sessions.all() if s not in upcoming]
    return linked + upcoming


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    initial = {
        "title": article.title,
        "kind": article.kind,
        "body": article.body,
        "review_months": article.review_months,
    }
    form = ArticleEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article_update(
                article_id=article.pk,
                user=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                review_months=data["review_months"],
                note=data["note"],
                as_review=data["as_review"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("learning:article_detail", article.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/articles/edit.html", {"form": form, "article": article}, status=status
    )


@login_required
@require_GET
def article_versions(request: HttpRequest, article_id: int) -> HttpResponse:
    """Who changed what: every version, and the difference between two (``?old=1&new=3``)."""
    article = _article_or_404(request, article_id)
    versions = selectors.versions_of(article)
    form = DiffForm(request.GET or None)
    diff, old, new = None, None, None
    if form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        diff = selectors.version_diff(article, old=old, new=new)
        if diff is None:
            raise Http404
    elif len(versions) > 1:
        old, new = versions[1].number, versions[0].number
        diff = selectors.version_diff(article, old=old, new=new)
    return render(
        request,
        "learning/articles/versions.html",
        {"article": article, "versions": versions, "diff": diff, "old": old, "new": new},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def article_file(request: HttpRequest, article_id: int, file_id: int) -> HttpResponse:
    """A file, for those who may read the article (404 for everyone else). Images are shown
    inline, everything else downloads; the browser may not guess another type."""
    found = selectors.article_file_for_viewer(
        user=request.user, article_id=article_id, file_id=file_id
    )
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    disposition = "inline" if found.is_image else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{found.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _done(request: HttpRequest, article_id: int, message: str, call) -> HttpResponse:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("learning:article_detail", article_id)


@login_required
@require_POST
def file_add(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:article_detail", article.pk)
    upload = form.cleaned_data["upload"]
    # Never more than one byte past the limit in memory: the service then refuses the size.
    data = upload.read(rules.MAX_FILE_BYTES + 1)
    return _done(
        request,
        article.pk,
        _("The file is attached."),
        lambda: article_file_add(
            article_id=article.pk, user=request.user, name=upload.name, data=data
        ),
    )


@login_required
@require_POST
def file_remove(request: HttpRequest, article_id: int, file_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    return _done(
        request,
        article.pk,
        _("The file is removed."),
        lambda: article_file_remove(article_id=article.pk, user=request.user, file_id=file_id),
    )


@login_required
@require_POST
def coauthor_add(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    form = CoauthorForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:article_detail", article.pk)
    return _done(
        request,
        article.pk,
        _("The co-author is added."),
        lambda: article_coauthor_add(
            article_id=article.pk, user=request.user, email=form.cleaned_data["email"]
        ),
    )


@login_required
@require_POST
def coauthor_remove(request: HttpRequest, article_id: int, coauthor_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    return _done(
        request,
        article.pk,
        _("The co-author is removed."),
        lambda: article_coauthor_remove(
            article_id=article.pk, user=request.user, coauthor_id=coauthor_id
        ),
    )


@login_required
@require_POST
def review(request: HttpRequest, article_id: int) -> HttpResponse:
    """``action`` = reviewed | archive | supersede (with ``by``): authors, coordinators and the
    community's ambassadors. ``next`` may send them back to the review queue."""
    article = _article_or_404(request, article_id)
    if not can_review_article(request.user, article, coauthor_ids=_coauthor_ids(article)):
        raise Http404
    action = request.POST.get("action", "")
    user = request.user
    if action == "reviewed":
        call, message = (
            lambda: article_review(article_id=article.pk, user=user),
            _("Marked as reviewed."),
        )
    elif action == "archive":
        call, message = (
            lambda: article_archive(article_id=article.pk, user=user),
            _("The article is archived."),
        )
    elif action == "supersede":
        form = SupersedeForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect("learning:article_detail", article.pk)
        by = form.cleaned_data["by"]
        call, message = (
            lambda: article_supersede(article_id=article.pk, user=user, by_id=by),
            _("The article now points to the newer one."),
        )
    else:
        messages.error(request, _("Choose what to do."))
        return redirect("learning:article_detail", article.pk)
    response = _done(request, article.pk, message, call)
    back = request.POST.get("next", "")
    if back.startswith("/communities/") and "//" not in back:
        return redirect(back)
    return response


@login_required
@require_POST
def sessions(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _editable_or_404(request, article_id)
    form = SessionsForm(request.POST, sessions=_session_choices(request.user, article))
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:article_detail", article.pk)
    return _done(
        request,
        article.pk,
        _("The sessions are linked."),
        lambda: article_sessions_set(
            article_id=article.pk, user=request.user, session_ids=form.cleaned_data["sessions"]
        ),
    )
