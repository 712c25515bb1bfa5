from django.urls import path

from . import list_views, views

app_name = "subjects"
urlpatterns = [
    path("register/zoeken/", views.search, name="search"),
    path("register/bronnen/", views.sources, name="sources"),
    path("register/bronnen/nieuw/", views.source_new, name="source_new"),
    path("register/bronnen/<int:pk>/", views.source_detail, name="source"),
    path("register/import/<int:pk>/", views.import_run, name="import"),
    path("register/import/<int:pk>/importeren/", views.import_commit, name="import_commit"),
    path("register/lijst-controleren/", list_views.list_check, name="list_check"),
    path("register/lijst-controleren/downloaden/", list_views.list_download,
         name="list_download"),
    path("meldingen/<int:pk>/verrijking/", views.enrichment, name="enrichment"),
    path("meldingen/<int:pk>/verrijking/besluit/", views.decide, name="decide"),
]
