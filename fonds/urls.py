from django.urls import path

from . import views

app_name = "fonds"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("orientation/", views.orientation, name="orientation"),
]
