from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("ketenpartners/", views.directory, name="directory"),
    path("ketenpartners/nieuw/", views.partner_edit, name="partner_new"),
    path("ketenpartners/<int:pk>/", views.partner_detail, name="partner"),
    path("ketenpartners/<int:pk>/wijzigen/", views.partner_edit, name="partner_edit"),
    path("ketenpartners/<int:pk>/gecontroleerd/", views.partner_verify, name="partner_verify"),
    path("ketenpartners/<int:partner_pk>/contactpersonen/nieuw/", views.contact_edit,
         name="contact_new"),
    path("ketenpartners/<int:partner_pk>/contactpersonen/<int:pk>/", views.contact_edit,
         name="contact_edit"),
    path("ketenpartners/<int:partner_pk>/contactpersonen/<int:pk>/verwijderen/",
         views.contact_delete, name="contact_delete"),
    path("routeringsregels/", views.rules, name="rules"),
    path("routeringsregels/nieuw/", views.rule_edit, name="rule_new"),
    path("routeringsregels/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("routeringsregels/<int:pk>/verwijderen/", views.rule_delete, name="rule_delete"),
    path("routeringsregels/instellingen/", views.settings_edit, name="settings"),
    path("meldingen/<int:pk>/doorzetten/", views.refer, name="refer"),
    path("doorverwijzingen/", views.referrals, name="referrals"),
    path("doorverwijzingen/<int:pk>/", views.referral_detail, name="referral"),
    path("doorverwijzingen/<int:pk>/<slug:what>/", views.referral_act, name="referral_act"),
    path("uitgaande-mail/", views.outbox_list, name="outbox"),
    path("uitgaande-mail/<int:pk>/opnieuw/", views.outbox_resend, name="outbox_resend"),
    path("terugkoppeling/<str:token>/", views.link, name="link"),
    path("terugkoppeling/<str:token>/bestand/<int:pk>/", views.link_attachment,
         name="link_attachment"),
]
