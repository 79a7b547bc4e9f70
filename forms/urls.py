from django.urls import path

from . import autosave, views

app_name = "forms"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:call_pk>/", views.application_new, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.wizard, name="wizard"),
    path("<int:pk>/edit/<str:step>/", views.wizard, name="wizard_step"),
    path("<int:pk>/edit/<str:step>/autosave/", autosave.autosave, name="autosave"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/copy.pdf", views.application_pdf, name="pdf"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/support/", views.application_support, name="support"),
]
