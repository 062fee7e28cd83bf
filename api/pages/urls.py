from django.urls import path

from api.pages import views

urlpatterns = [
    path("me/tokens/", views.tokens, name="api_tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("organisation/webhooks/", views.webhooks, name="webhooks"),
    path("organisation/webhooks/<int:endpoint_id>/", views.webhook_detail, name="webhook_detail"),
    path(
        "organisation/webhooks/<int:endpoint_id>/test/",
        views.webhook_action,
        {"action": "test"},
        name="webhook_test",
    ),
    path(
        "organisation/webhooks/<int:endpoint_id>/rotate/",
        views.webhook_action,
        {"action": "rotate"},
        name="webhook_rotate",
    ),
    path(
        "organisation/webhooks/<int:endpoint_id>/delete/",
        views.webhook_action,
        {"action": "delete"},
        name="webhook_delete",
    ),
]
