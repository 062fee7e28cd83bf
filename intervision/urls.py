"""Intervision pages under /intervision/ (namespace ``intervision``)."""

from django.urls import path

from intervision.views import cases, groups, history, live, sessions

app_name = "intervision"

urlpatterns = [
    path("", groups.home, name="home"),
    path("history/", history.history, name="history"),
    path("history.csv", history.history_csv, name="history_csv"),
    path("history.pdf", history.history_pdf, name="history_pdf"),
    path("groups/<slug:slug>/", groups.group_detail, name="group"),
    path("groups/<slug:slug>/agreement/", groups.agreement, name="agreement"),
    path("groups/<slug:slug>/settings/", groups.group_settings, name="settings"),
    path("groups/<slug:slug>/schedule/", groups.schedule, name="schedule"),
    path("groups/<slug:slug>/methods/<int:method_id>/", groups.method_detail, name="method"),
    path(
        "groups/<slug:slug>/methods/<int:method_id>/copy/",
        groups.method_copy_view,
        name="method_copy",
    ),
    path("groups/<slug:slug>/cases/new/", cases.case_new, name="case_new"),
    path(
        "groups/<slug:slug>/cases/<int:case_id>/withdraw/",
        cases.case_withdraw_view,
        name="case_withdraw",
    ),
    path("groups/<slug:slug>/attendance.csv", history.attendance_csv, name="attendance_csv"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<int:session_id>/vote/", sessions.vote, name="vote"),
    path("sessions/<int:session_id>/select/", sessions.select, name="select"),
    path("sessions/<int:session_id>/swap/", sessions.swap, name="swap"),
    path("swaps/<int:swap_id>/answer/", sessions.swap_answer_view, name="swap_answer"),
    path("sessions/<int:session_id>/console/", live.console, name="console"),
    path("sessions/<int:session_id>/control/", live.control, name="control"),
    path("sessions/<int:session_id>/follow/", live.follow, name="follow"),
    path("sessions/<int:session_id>/live/", live.live, name="live"),
    path("sessions/<int:session_id>/items/", live.items, name="items"),
    path("sessions/<int:session_id>/closing/", live.closing, name="closing"),
    path("sessions/<int:session_id>/close/", live.close, name="close"),
]
