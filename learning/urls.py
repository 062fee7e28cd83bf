"""Pages of workplace learning (namespace ``learning``): /journeys/, /pairing/, /shadowing/,
/articles/, /me/learning/, /statements/<token>/, a community's ambassador page and its plan
(/communities/<slug>/plan/)."""

from django.urls import path

from learning.ambassadors import views as ambassadors
from learning.articles import views as articles
from learning.journeys import views as journeys
from learning.pairing import views as pairing
from learning.plans import views as plans
from learning.record import views as record
from learning.shadowing import views as shadowing

app_name = "learning"

urlpatterns = [
    path("journeys/", journeys.journey_list, name="journey_list"),
    path("journeys/templates/new/", journeys.template_new, name="template_new"),
    path("journeys/templates/<int:template_id>/", journeys.template_detail, name="template_detail"),
    path("journeys/templates/<int:template_id>/steps/", journeys.step_add, name="step_add"),
    path(
        "journeys/templates/<int:template_id>/start/", journeys.journey_begin, name="journey_start"
    ),
    path("journeys/<int:journey_id>/", journeys.journey_detail, name="journey_detail"),
    path(
        "journeys/<int:journey_id>/steps/<int:progress_id>/",
        journeys.step_mark,
        name="step_mark",
    ),
    path("pairing/", pairing.pairing, name="pairing"),
    path("pairing/new/", pairing.programme_new, name="programme_new"),
    path("pairing/<int:programme_id>/join/", pairing.join, name="pairing_join"),
    path("pairing/<int:programme_id>/leave/", pairing.leave, name="pairing_leave"),
    path("pairing/<int:programme_id>/skip/", pairing.skip, name="pairing_skip"),
    path("pairing/<int:programme_id>/pause/", pairing.pause, name="pairing_pause"),
    path("pairing/<int:programme_id>/run/", pairing.run, name="pairing_run"),
    path("shadowing/", shadowing.shadowing_list, name="shadowing_list"),
    path("shadowing/new/", shadowing.offer_new, name="offer_new"),
    path("shadowing/<int:offer_id>/", shadowing.offer_detail, name="offer_detail"),
    path("shadowing/<int:offer_id>/days/", shadowing.slot_add, name="slot_add"),
    path("shadowing/days/<int:slot_id>/book/", shadowing.slot_book, name="slot_book"),
    path("shadowing/days/<int:slot_id>/cancel/", shadowing.slot_cancel, name="slot_cancel"),
    path("shadowing/days/<int:slot_id>/reflect/", shadowing.reflect, name="slot_reflect"),
    path("me/learning/", record.record, name="record"),
    path("me/learning/record.csv", record.record_csv, name="record_csv"),
    path("me/learning/statements/", record.statement_new, name="statement_new"),
    path(
        "me/learning/statements/<int:statement_id>.pdf",
        record.statement_download,
        name="statement_pdf",
    ),
    path("communities/<slug:slug>/plan/", plans.plan, name="community_plan"),
    path("communities/<slug:slug>/plan/edit/", plans.plan_edit, name="community_plan_edit"),
    path("statements/<str:token>/", record.statement_verify, name="statement_verify"),
    path("articles/", articles.article_list, name="article_list"),
    path("articles/new/", articles.article_new, name="article_new"),
    path("articles/<int:article_id>/", articles.article_detail, name="article_detail"),
    path("articles/<int:article_id>/edit/", articles.article_edit, name="article_edit"),
    path("articles/<int:article_id>/versions/", articles.article_versions, name="article_versions"),
    path("articles/<int:article_id>/files/", articles.file_add, name="article_file_add"),
    path(
        "articles/<int:article_id>/files/<int:file_id>/", articles.article_file, name="article_file"
    ),
    path(
        "articles/<int:article_id>/files/<int:file_id>/remove/",
        articles.file_remove,
        name="article_file_remove",
    ),
    path(
        "articles/<int:article_id>/coauthors/", articles.coauthor_add, name="article_coauthor_add"
    ),
    path(
        "articles/<int:article_id>/coauthors/<int:coauthor_id>/remove/",
        articles.coauthor_remove,
        name="article_coauthor_remove",
    ),
    path("articles/<int:article_id>/review/", articles.review, name="article_review"),
    path("articles/<int:article_id>/sessions/", articles.sessions, name="article_sessions"),
    path(
        "communities/<slug:slug>/ambassador/", ambassadors.ambassador_page, name="ambassador_page"
    ),
    path(
        "communities/<slug:slug>/ambassador/welcome/<int:membership_id>/",
        ambassadors.welcome,
        name="ambassador_welcome",
    ),
    path(
        "communities/<slug:slug>/ambassador/takeaways/<int:takeaway_id>/",
        ambassadors.takeaway_review,
        name="ambassador_takeaway_review",
    ),
]
