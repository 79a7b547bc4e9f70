from django.urls import path

from . import committee_views, manage_views, views

app_name = "reviewers"
urlpatterns = [
    # Advisors and the applicant's side of the comment threads.
    path("advisor/", views.advisor_home, name="advisor_home"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/comment/", views.comment, name="comment"),
    path("drafts/<int:pk>/return/", views.return_draft, name="return"),
    path("drafts/<int:pk>/advisor/", views.support_reassign, name="reassign"),
    path("drafts/<int:pk>/comments/<int:comment_pk>/reply/", views.comment_reply, name="comment_reply"),
    path("drafts/<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    # Fund managers' configuration.
    path("advisors/", manage_views.advisors, name="advisors"),
    path("advisors/<int:user_pk>/", manage_views.advisor_rule, name="advisor_rule"),
    path("calls/<int:call_pk>/committee/", manage_views.committee, name="committee"),
    # The selection committee.
    path("committee/", committee_views.committee_home, name="committee_home"),
    path("calls/<int:call_pk>/conflicts/", committee_views.declare, name="declare"),
    path("calls/<int:call_pk>/ranking/", committee_views.ranking, name="ranking"),
    path("calls/<int:call_pk>/ranking/amounts/", committee_views.simulate, name="simulate"),
    path("calls/<int:call_pk>/decisions.pdf", committee_views.decision_sheet, name="decision_sheet"),
    path("applications/<int:pk>/scores/", committee_views.scores, name="scores"),
]
