from django.urls import path

from communities import views

urlpatterns = [
    path("communities/", views.community_list, name="community_list"),
    path("communities/<slug:slug>/", views.community_detail, name="community_detail"),
    path("me/", views.me, name="me"),
    path("me/data.json", views.me_data_download, name="me_data_download"),
    path("me/erase/", views.me_erase, name="me_erase"),
    path("language/", views.set_language, name="set_language"),
]
