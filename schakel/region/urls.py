"""The regional picture's pages (Dutch URLs) and the two API endpoints the region fetches."""

from django.urls import path

from . import api, views, views_share

app_name = "region"

urlpatterns = [
    path("api/v1/region/share/", api.RegionShare.as_view(), name="api_share"),
    path("api/v1/region/agenda/", api.RegionAgenda.as_view(), name="api_agenda"),
    # A municipality's side.
    path("regio/delen/", views_share.share_page, name="share"),
    path("regio/delen/schakelen/", views_share.share_toggle, name="share_toggle"),
    path("regio/vragen/", views_share.questions_page, name="questions"),
    path("regio/vragen/<int:pk>/<slug:state>/", views_share.question_close,
         name="question_close"),
    # The region's side.
    path("regio/", views.overview, name="overview"),
    path("regio/ophalen/", views.fetch, name="fetch"),
    path("regio/rapport/", views.document, name="document"),
    path("regio/rapport.pdf", views.document_pdf, name="document_pdf"),
    path("regio/rapport.csv", views.document_csv, name="document_csv"),
    path("regio/agenda/", views.agenda, name="agenda"),
    path("regio/gemeenten/", views.municipalities, name="municipalities"),
    path("regio/gemeenten/<int:pk>/token/", views.municipality_token,
         name="municipality_token"),
]
