"""Pages of workplace learning (namespace ``learning``): /journeys/, /pairing/, /shadowing/,
/me/learning/, /statements/<token>/ and a community's plan
(/communities/<slug>/plan/)."""

from django.urls import path

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
]
