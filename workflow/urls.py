from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("<int:task_pk>/", views.task_detail, name="task"),
]
