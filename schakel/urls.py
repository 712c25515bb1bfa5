from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from schakel.accounts import views as accounts_views
from schakel.core import views as core_views

admin.site.site_header = "Schakel — functioneel beheer"
admin.site.site_title = "Schakel"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("inloggen/", accounts_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("schakel.accounts.urls")),
    path("taal/", set_language, name="set_language"),
    # One login for everyone, with its second factor: not the admin's own form.
    path("beheer/login/", accounts_views.admin_login),
    path("beheer/", admin.site.urls),
    path("", include("schakel.signals.urls")),
    path("", include("schakel.audit.urls")),
    path("", include("schakel.subjects.urls")),
    path("", include("schakel.partners.urls")),
    path("", include("schakel.plan.urls")),
    path("", include("schakel.privacy.urls")),
    path("", include("schakel.reports.urls")),
    path("", include("schakel.ops.urls")),
    path("", include("schakel.region.urls")),  # before the API's catch-all for /api/
    path("", include("schakel.api.urls")),
]

handler400 = "schakel.accounts.views.bad_request"
handler403 = "schakel.core.errors.permission_denied"
handler404 = "schakel.core.errors.page_not_found"
handler500 = "schakel.core.errors.server_error"
