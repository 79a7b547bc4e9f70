from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import throttle
from .forms import EmailAuthenticationForm, PasswordResetRequestForm, ProfileForm, SignupForm
from .models import User
from .roles import APPLICANT, ROLES, has_role
from .services import EmailTaken, signup_collision_notify, user_activate, user_signup, user_update_preferences
from .tokens import signup_token


def _use_language(request: HttpRequest, response: HttpResponse, language: str) -> HttpResponse:
    """Switch to the person's language now and remember it in the cookie LocaleMiddleware reads."""
    translation.activate(language)
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class SignInView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        throttle.login_succeeded(email=user.email)
        response = super().form_valid(form)
        return _use_language(self.request, response, user.language)


login = SignInView.as_view()
# POST only (Django refuses GET with 405); goes back to the catalogue.
logout = auth_views.LogoutView.as_view()


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=user, **form.cleaned_data)
        response = redirect("accounts:profile")
        _use_language(request, response, user.language)
        messages.success(request, _("Your preferences are saved."))
        return response
    memberships = user.memberships.select_related("organisation__mrc__region").order_by("organisation__name")
    roles = [label for name, label in ROLES.items() if has_role(user, name)]
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "roles": roles,
            "can_create_organisation": has_role(user, APPLICANT) and not memberships,
        },
    )


# --- sign-up --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None, request=request, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_signup(
                email=data["email"], full_name=data["full_name"], password=data["password1"], language=data["language"]
            )
        except EmailTaken as taken:
            # Same answer as a new account: the page must not tell who is registered.
            signup_collision_notify(user=taken.user)
        return _use_language(request, redirect("accounts:signup_done"), data["language"])
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:  # out of the column's range: some databases raise instead of finding nothing
        return None
    return User.objects.filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button, POST activates: mail scanners that open links must not use up the link."""
    user = _user_from_uidb64(uidb64)
    if user is None or user.is_active or not signup_token.check_token(user, token):
        # 200 like Django's password-reset link: the page explains, nothing failed on our side.
        return render(request, "accounts/signup_invalid.html")
    if request.method == "GET":
        return render(request, "accounts/signup_confirm.html", {"new_user": user})
    user_activate(user=user)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The next page is in the account's language: so is its message.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        messages.success(request, _("Your account is confirmed. Welcome to Guichet!"))
    return _use_language(request, redirect("fonds:catalogue"), user.language)


# --- password reset ---------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
