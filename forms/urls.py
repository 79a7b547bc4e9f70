from django.urls import path

from . import views

app_name = "forms"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:call_pk>/", views.application_new, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.wizard, name="wizard"),
    path("<int:pk>/edit/<str:step>/", views.wizard, name="wizard_step"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/support/", views.application_support, name="support"),
]
