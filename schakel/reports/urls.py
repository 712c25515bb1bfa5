from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("raadsrapportages/", views.report_list, name="list"),
    path("raadsrapportages/<int:pk>/", views.report_detail, name="detail"),
    path("raadsrapportages/<int:pk>/voortgang/", views.report_progress, name="progress"),
    path("raadsrapportages/<int:pk>/opmaken/", views.report_render, name="render"),
    path("raadsrapportages/<int:pk>/opnieuw/", views.report_retry, name="retry"),
    path("raadsrapportages/<int:pk>/definitief/", views.report_finalise, name="finalise"),
    path("raadsrapportages/<int:pk>/bestand.<str:fmt>", views.report_file, name="file"),
]
