from django.urls import include, path

from communities.views import communities, me, memberships, staff

urlpatterns = [
    path("communities/", communities.community_list, name="community_list"),
    path("communities/new/", communities.community_create_view, name="community_create"),
    path("communities/<slug:slug>/", communities.community_detail, name="community_detail"),
    path("communities/<slug:slug>/join/", communities.community_join, name="community_join"),
    path("communities/<slug:slug>/leave/", communities.community_leave, name="community_leave"),
    path("communities/<slug:slug>/edit/", communities.community_edit, name="community_edit"),
    path(
        "communities/<slug:slug>/archive/",
        communities.community_archive_view,
        name="community_archive",
    ),
    path(
        "communities/<slug:slug>/restore/",
        communities.community_restore_view,
        name="community_restore",
    ),
    path(
        "communities/<slug:slug>/members/",
        memberships.community_members_view,
        name="community_members",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/approve/",
        memberships.membership_approve_view,
        name="membership_approve",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/decline/",
        memberships.membership_decline_view,
        name="membership_decline",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/remove/",
        memberships.membership_remove_view,
        name="membership_remove",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/role/",
        memberships.membership_role_view,
        name="membership_role",
    ),
    path(
        "communities/<slug:slug>/invitations/",
        memberships.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "communities/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        memberships.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "communities/<slug:slug>/invitations/people/",
        memberships.invitation_people_picker,
        name="invitation_people_picker",
    ),
    path(
        "invitations/mine/<int:invitation_id>/",
        memberships.invitation_mine,
        name="invitation_mine",
    ),
    path(
        "invitations/mine/<int:invitation_id>/accept/",
        memberships.invitation_answer,
        {"answer": "accept"},
        name="invitation_mine_accept",
    ),
    path(
        "invitations/mine/<int:invitation_id>/decline/",
        memberships.invitation_answer,
        {"answer": "decline"},
        name="invitation_mine_decline",
    ),
    path("invitations/<str:token>/", memberships.invitation_detail, name="invitation_detail"),
    path(
        "invitations/<str:token>/accept/",
        memberships.invitation_answer,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        memberships.invitation_answer,
        {"answer": "decline"},
        name="invitation_decline",
    ),
    path("me/", me.me, name="me"),
    path("me/data.json", me.me_data_download, name="me_data_download"),
    path("me/erase/", me.me_erase, name="me_erase"),
    path("me/photo/", me.me_photo, name="me_photo"),
    path("people/<int:user_id>/photo", me.person_photo, name="person_photo"),
    path("language/", me.set_language, name="set_language"),
    # The organisation (staff) and its people; logo and theme are public (the login page).
    path("organisation/", staff.organisation_settings_view, name="organisation_settings"),
    path("organisation/logo", staff.organisation_logo, name="organisation_logo"),
    path("organisation/theme.css", staff.organisation_theme, name="organisation_theme"),
    path("organisation/people/", staff.people_list, name="people_list"),
    path("organisation/people/<int:user_id>/", staff.person_detail, name="person_detail"),
    path(
        "organisation/people/<int:user_id>/deactivate/",
        staff.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "organisation/people/<int:user_id>/reactivate/",
        staff.person_reactivate,
        name="person_reactivate",
    ),
    path("organisation/people/<int:user_id>/approve/", staff.person_approve, name="person_approve"),
    path("organisation/people/<int:user_id>/decline/", staff.person_decline, name="person_decline"),
    path("signup/pending/", me.signup_pending, name="signup_pending"),
    path("", include("communities.mail.urls")),
    path("", include("communities.audit.urls")),
    path("", include("communities.register.urls")),
]
