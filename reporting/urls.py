from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funds/<int:fund_pk>/exports/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
