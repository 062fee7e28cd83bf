from django.urls import path

from directory.pages import views

urlpatterns = [
    path("organisation/directory/", views.directory, name="directory"),
    path(
        "organisation/directory/tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="directory_token_revoke",
    ),
    path("organisation/directory/links/", views.link_create, name="directory_link_create"),
    path(
        "organisation/directory/links/<int:link_id>/delete/",
        views.link_delete,
        name="directory_link_delete",
    ),
    path(
        "organisation/directory/holds/<int:hold_id>/confirm/",
        views.hold_decide,
        {"decision": "confirm"},
        name="directory_hold_confirm",
    ),
    path(
        "organisation/directory/holds/<int:hold_id>/discard/",
        views.hold_decide,
        {"decision": "discard"},
        name="directory_hold_discard",
    ),
]
