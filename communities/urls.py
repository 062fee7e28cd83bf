from django.urls import include, path

from communities import views

urlpatterns = [
    path("communities/", views.community_list, name="community_list"),
    path("communities/new/", views.community_create_view, name="community_create"),
    path("communities/<slug:slug>/", views.community_detail, name="community_detail"),
    path("communities/<slug:slug>/join/", views.community_join, name="community_join"),
    path("communities/<slug:slug>/leave/", views.community_leave, name="community_leave"),
    path("communities/<slug:slug>/edit/", views.community_edit, name="community_edit"),
    path(
        "communities/<slug:slug>/archive/", views.community_archive_view, name="community_archive"
    ),
    path(
        "communities/<slug:slug>/restore/", views.community_restore_view, name="community_restore"
    ),
    path(
        "communities/<slug:slug>/members/", views.community_members_view, name="community_members"
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/approve/",
        views.membership_approve_view,
        name="membership_approve",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/decline/",
        views.membership_decline_view,
        name="membership_decline",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove_view,
        name="membership_remove",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/role/",
        views.membership_role_view,
        name="membership_role",
    ),
    path(
        "communities/<slug:slug>/invitations/",
        views.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "communities/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation_detail"),
    path(
        "invitations/<str:token>/accept/",
        views.invitation_answer,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        views.invitation_answer,
        {"answer": "decline"},
        name="invitation_decline",
    ),
    path("me/", views.me, name="me"),
    path("me/data.json", views.me_data_download, name="me_data_download"),
    path("me/erase/", views.me_erase, name="me_erase"),
    path("language/", views.set_language, name="set_language"),
    # The organisation (staff) and its people; logo and theme are public (the login page).
    path("organisation/", views.organisation_settings_view, name="organisation_settings"),
    path("organisation/logo", views.organisation_logo, name="organisation_logo"),
    path("organisation/theme.css", views.organisation_theme, name="organisation_theme"),
    path("organisation/people/", views.people_list, name="people_list"),
    path("organisation/people/<int:user_id>/", views.person_detail, name="person_detail"),
    path(
        "organisation/people/<int:user_id>/deactivate/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "organisation/people/<int:user_id>/reactivate/",
        views.person_reactivate,
        name="person_reactivate",
    ),
    path("organisation/people/<int:user_id>/approve/", views.person_approve, name="person_approve"),
    path("organisation/people/<int:user_id>/decline/", views.person_decline, name="person_decline"),
    path("signup/pending/", views.signup_pending, name="signup_pending"),
    path("", include("communities.mail.urls")),
]
