"""The global search (/search/?q=): communities, sessions, takeaways, questions and people who
opted in, each as the viewer may see them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from events.takeaways.selectors.search import search_words
from search.selectors import search_everything


@login_required
@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    # Only the words (letters and digits): nothing else reaches a query.
    q = " ".join(search_words(request.GET.get("q", "")))[:100]
    return render(
        request, "search/results.html", {"q": q, "result": search_everything(request.user, q)}
    )
