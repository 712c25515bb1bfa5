from django.urls import path

from . import access_views, destruction_views, views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.index, name="index"),
    path("inzageverzoeken/", access_views.access_list, name="access_list"),
    path("inzageverzoeken/<int:pk>/", access_views.access_detail, name="access_detail"),
    path("inzageverzoeken/<int:pk>/onderdeel/<int:item_pk>/", access_views.access_decide,
         name="access_decide"),
    path("inzageverzoeken/<int:pk>/onderdeel/<int:item_pk>/beoordelen/",
         access_views.access_review, name="access_review"),
    path("inzageverzoeken/<int:pk>/bijlage/<int:item_pk>/", access_views.access_attachment,
         name="access_attachment"),
    path("inzageverzoeken/<int:pk>/antwoord.pdf", access_views.access_answer,
         name="access_answer"),
    path("vernietiging/", destruction_views.destruction_list, name="destruction"),
    path("vernietiging/goedkeuren/", destruction_views.destruction_approve,
         name="destruction_approve"),
    path("vernietiging/<int:pk>/uitstellen/", destruction_views.destruction_postpone,
         name="destruction_postpone"),
    path("vernietiging/verklaring/<int:pk>.pdf", destruction_views.certificate_pdf,
         name="certificate"),
]
