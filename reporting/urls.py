from django.urls import path

from . import views, views_opendata

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funds/<int:fund_pk>/exports/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("open-data/360giving.json", views_opendata.grants_360giving, name="open_data_360giving"),
]
