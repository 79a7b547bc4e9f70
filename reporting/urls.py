from django.urls import path

from . import views, views_directory, views_opendata, views_project

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funds/<int:fund_pk>/exports/", views.export_create, name="export_create"),
    path("funds/<int:fund_pk>/workbook/", views.fund_xlsx, name="fund_xlsx"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("projects/<int:pk>/", views_project.project, name="project"),
    path("projects/<int:pk>/export/", views_project.project_export, name="project_export"),
    path("projects/<int:pk>/workbook/", views_project.project_xlsx, name="project_xlsx"),
    path("projects/<int:pk>/target-changes/new/", views_project.target_change_create, name="target_change_create"),
    path("target-changes/<int:pk>/decide/", views_project.target_change_decide_view, name="target_change_decide"),
    path("attachments/<int:pk>/", views_project.attachment, name="attachment"),
    path("directory/", views_directory.directory, name="directory"),
    path("directory/<int:pk>/", views_directory.directory_project, name="directory_project"),
    path("open-data/360giving.json", views_opendata.grants_360giving, name="open_data_360giving"),
]
