from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from . import throttle
from .forms import EmailAuthenticationForm, ProfileForm
from .roles import ROLES, has_role
from .services import user_update_preferences


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
        {"form": form, "memberships": memberships, "roles": roles},
    )
