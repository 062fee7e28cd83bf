"""Intervision pages under /intervision/ (namespace ``intervision``)."""

from django.urls import path

from intervision import views

app_name = "intervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("history.csv", views.history_csv, name="history_csv"),
    path("history.pdf", views.history_pdf, name="history_pdf"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("groups/<slug:slug>/agreement/", views.agreement, name="agreement"),
    path("groups/<slug:slug>/settings/", views.group_settings, name="settings"),
    path("groups/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("groups/<slug:slug>/methods/<int:method_id>/", views.method_detail, name="method"),
    path("groups/<slug:slug>/methods/<int:method_id>/copy/", views.method_copy, name="method_copy"),
    path("groups/<slug:slug>/cases/new/", views.case_new, name="case_new"),
    path(
        "groups/<slug:slug>/cases/<int:case_id>/withdraw/",
        views.case_withdraw,
        name="case_withdraw",
    ),
    path("groups/<slug:slug>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/vote/", views.vote, name="vote"),
    path("sessions/<int:session_id>/select/", views.select, name="select"),
    path("sessions/<int:session_id>/swap/", views.swap, name="swap"),
    path("swaps/<int:swap_id>/answer/", views.swap_answer, name="swap_answer"),
    path("sessions/<int:session_id>/console/", views.console, name="console"),
    path("sessions/<int:session_id>/control/", views.control, name="control"),
    path("sessions/<int:session_id>/follow/", views.follow, name="follow"),
    path("sessions/<int:session_id>/live/", views.live, name="live"),
    path("sessions/<int:session_id>/items/", views.items, name="items"),
    path("sessions/<int:session_id>/closing/", views.closing, name="closing"),
    path("sessions/<int:session_id>/close/", views.close, name="close"),
]
