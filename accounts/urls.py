from django.urls import path

from . import organisation_views as org
from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("organisations/new/", org.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", org.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", org.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/members/", org.members, name="members"),
    path("organisations/<int:pk>/members/invite/", org.invite, name="invite"),
    path("organisations/<int:pk>/members/<int:membership_pk>/remove/", org.member_remove, name="member_remove"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        org.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", org.invitation, name="invitation"),
]
