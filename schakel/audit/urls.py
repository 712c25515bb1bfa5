from django.urls import path

from . import destruction_views, views

app_name = "audit"
urlpatterns = [
    path("logboek/register/", views.register, name="register"),
    path("logboek/", views.search, name="search"),
    path("vernietiging/", destruction_views.destruction_list, name="destruction"),
    path("vernietiging/goedkeuren/", destruction_views.destruction_approve,
         name="destruction_approve"),
    path("vernietiging/<int:pk>/uitstellen/", destruction_views.destruction_postpone,
         name="destruction_postpone"),
    path("vernietiging/verklaring/<int:pk>.pdf", destruction_views.certificate_pdf,
         name="certificate"),
]
