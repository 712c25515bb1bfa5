from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("logboek/register/", views.register, name="register"),
    path("logboek/", views.search, name="search"),
]
