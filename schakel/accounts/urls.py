from django.urls import path

from . import views, views_roles

app_name = "accounts"

urlpatterns = [
    path("inloggen/code/", views.verify, name="verify"),
    path("inloggen/sso/", views.oidc_start, name="oidc_start"),
    path("inloggen/sso/terug/", views.oidc_callback, name="oidc_callback"),
    path("account/", views.account, name="account"),
    path("account/tweestapsverificatie/", views.enrol, name="enrol"),
    path("account/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("account/overal-uitloggen/", views.logout_everywhere, name="logout_everywhere"),
    path("blokkades/", views.lockouts, name="lockouts"),
]
urlpatterns += [
    path("rollen/", views_roles.roles_page, name="roles"),
    path("rollen/<int:pk>/goedkeuren/", views_roles.role_approve, name="role_approve"),
    path("rollen/<int:pk>/afwijzen/", views_roles.role_refuse, name="role_refuse"),
]
