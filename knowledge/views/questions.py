"""Questions and answers: the list, asking, a question with its answers, and their actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import first_error, posted
from communities.selectors import communities_visible_to
from knowledge.forms import AnswerForm, QuestionForm
from knowledge.models import Answer
from knowledge.permissions import leads
from knowledge.rules import may_become_wish
from knowledge.selectors.questions import (
    answers_of,
    question_for_viewer,
    question_page,
    questions_to_post,
)
from knowledge.services.questions import (
    QuestionNotFound,
    answer_accept,
    answer_helpful_set,
    answer_keep_as_takeaway,
    answer_post,
    question_ask,
    question_post_anonymous,
    question_to_wish,
)

PER_PAGE = 20


@login_required
@require_http_methods(["GET"])
def question_list_view(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:200]
    unanswered = request.GET.get("unanswered") == "1"
    # The count stops at 1,001: nobody pages past the 50th page of a search.
    page = question_page(
        request.user, q=q, unanswered=unanswered, per_page=PER_PAGE, number=request.GET.get("page")
    )
    return render(
        request,
        "knowledge/questions.html",
        {
            "page": page,
            "q": q,
            "unanswered": unanswered,
            "to_post": questions_to_post(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    communities = communities_visible_to(request.user).order_by("name")
    initial = {"title": request.GET.get("title", "").replace("\x00", "")[:200]}
    form = QuestionForm(posted(request), communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_ask(
                author=request.user,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                community=data["community"],
                anonymous=data["anonymous"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if question.anonymous:
                messages.success(
                    request,
                    _("Your question went to the coordinators; they post it without your name."),
                )
                return redirect("question_list")
            messages.success(request, _("Your question has been posted."))
            return redirect("question_detail", question.pk)
    return render(
        request, "knowledge/question_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _question_or_404(request: HttpRequest, question_id: int):
    question = question_for_viewer(user=request.user, question_id=question_id)
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET"])
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _question_or_404(request, question_id)
    is_lead = leads(request.user, question.community)
    return render(
        request,
        "knowledge/question.html",
        {
            "question": question,
            "answers": answers_of(user=request.user, question=question),
            "form": AnswerForm(),
            "is_asker": question.author_id == request.user.pk,
            "is_lead": is_lead,
            "may_become_wish": question.community_id is not None
            and (question.author_id == request.user.pk or is_lead)
            and may_become_wish(
                created_at=question.published_at or question.created_at,
                answer_count=question.answer_count,
                now=timezone.now(),
            ),
        },
    )


@login_required
@require_POST
def answer_create(request: HttpRequest, question_id: int) -> HttpResponse:
    _question_or_404(request, question_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("question_detail", question_id)
    try:
        answer_post(question_id=question_id, author=request.user, body=form.cleaned_data["body"])
    except QuestionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for your answer."))
    return redirect("question_detail", question_id)


def _answer_question_id(request: HttpRequest, answer_id: int) -> int:
    question_id = Answer.objects.filter(pk=answer_id).values_list("question_id", flat=True).first()
    if (
        question_id is None
        or question_for_viewer(user=request.user, question_id=question_id) is None
    ):
        raise Http404
    return question_id


@login_required
@require_POST
def answer_accept_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    question_id = _answer_question_id(request, answer_id)
    try:
        answer_accept(answer_id=answer_id, actor=request.user)
    except QuestionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You chose the answer that helped."))
    return redirect("question_detail", question_id)


@login_required
@require_POST
def answer_helpful(request: HttpRequest, answer_id: int) -> HttpResponse:
    question_id = _answer_question_id(request, answer_id)
    try:
        answer_helpful_set(
            answer_id=answer_id, user=request.user, helpful=request.POST.get("helpful") != "0"
        )
    except QuestionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("question_detail", question_id)


@login_required
@require_POST
def answer_takeaway(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Keep an answer as a takeaway (one click): to the takeaway's page."""
    question_id = _answer_question_id(request, answer_id)
    try:
        takeaway = answer_keep_as_takeaway(answer_id=answer_id, actor=request.user)
    except QuestionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("question_detail", question_id)
    messages.success(request, _("The answer is kept as a takeaway; its author owns it."))
    return redirect("takeaway_detail", takeaway.pk)


@login_required
@require_POST
def question_post_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _question_or_404(request, question_id)
    if not leads(request.user, question.community):
        raise Http404
    question_post_anonymous(question_id=question_id, actor=request.user)
    messages.success(request, _("The question has been posted without the asker's name."))
    return redirect("question_detail", question_id)


@login_required
@require_POST
def question_wish_view(request: HttpRequest, question_id: int) -> HttpResponse:
    _question_or_404(request, question_id)
    try:
        wish = question_to_wish(question_id=question_id, actor=request.user)
    except QuestionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("question_detail", question_id)
    messages.success(request, _("The question is now a wish for a session."))
    return redirect("wish_detail", wish.pk)
