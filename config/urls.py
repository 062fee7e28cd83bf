from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from config import views

# The admin signs in through allauth (rate limits, verified e-mail, the MFA stage); the admin site
# itself (config.admin.AdminSite) refuses staff without a second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kennisplein"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("communities.urls")),
    path("", include("events.urls")),
    path("intervision/", include("intervision.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.pages.urls")),
    path("", include("knowledge.urls")),
    path("", include("learning.urls")),
    path("scim/v2/", include("directory.scim.urls")),
    path("", include("directory.pages.urls")),
    path("", include("search.urls")),
]
