from django.urls import path

from . import attachment_views, views

app_name = "signals"
urlpatterns = [
    path("meldingen/nieuw/", views.intake, name="intake"),
    path("meldingen/mijn/", views.my_signals, name="mine"),
    path("meldingen/team/", views.team_signals, name="team"),
    path("werkvoorraad/", views.work_queue, name="queue"),
    path("meldingen/<int:pk>/", views.detail, name="detail"),
    path("meldingen/<int:pk>/concept/", views.edit_draft, name="draft"),
    path("meldingen/<int:pk>/concept/weggooien/", views.delete_draft, name="draft_delete"),
    path("meldingen/<int:pk>/stap/<slug:name>/", views.transition, name="transition"),
    path("meldingen/<int:pk>/notitie/", views.add_note, name="note"),
    path("meldingen/<int:pk>/bijlagen/", attachment_views.attachment_upload,
         name="attachment_add"),
    path("meldingen/<int:pk>/bijlagen/<int:attachment_pk>/",
         attachment_views.attachment_download, name="attachment"),
    path("meldingen/<int:pk>/bijlagen/<int:attachment_pk>/voorbeeld/",
         attachment_views.attachment_thumbnail, name="attachment_thumbnail"),
    path("meldingen/<int:pk>/bijlagen/<int:attachment_pk>/verwijderen/",
         attachment_views.attachment_delete, name="attachment_delete"),
]
