from django.urls import path

from . import views

app_name = "reviewers"
urlpatterns = [
    path("advisor/", views.advisor_home, name="advisor_home"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/comment/", views.comment, name="comment"),
    path("drafts/<int:pk>/return/", views.return_draft, name="return"),
    path("calls/<int:call_pk>/ranking/", views.ranking, name="ranking"),
]
