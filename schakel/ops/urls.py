from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("gezondheid/live", views.live, name="live"),
    path("gezondheid/ready", views.ready, name="ready"),
    path("gezondheid/metrics", views.metrics, name="metrics"),
]
