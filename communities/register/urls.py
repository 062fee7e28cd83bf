from django.urls import path

from communities.register import views

urlpatterns = [
    path("organisation/register/", views.processing_register_view, name="processing_register"),
]
