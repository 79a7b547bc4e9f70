from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import ratelimit, throttle
from .models import User
from .services import password_reset_request


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    """Sign in with an e-mail address; refuses without checking the password once throttled."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("This e-mail address and password do not match. Check both and try again."),
    }

    def clean_username(self) -> str:
        # Accounts are stored in lower case (UserManager lowercases on creation).
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        ip = throttle.client_ip(self.request) if self.request else ""
        minutes = throttle.login_wait_minutes(email=email, ip=ip)
        if minutes:
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)s minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)s minutes.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            return super().clean()
        except ValidationError:
            if email and password:
                throttle.login_failed(email=email, ip=ip)
            raise


class ProfileForm(forms.Form):
    """What a person may change about themselves. The e-mail is the sign-in name: an administrator changes it."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails are shown in this language."),
    )

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()


class UserCreationForm(auth_forms.BaseUserCreationForm):
    """Admin add form for the e-mail user: e-mail, name, language, password twice."""

    class Meta:
        model = User
        fields = ["email", "full_name", "language"]
        field_classes = {"email": forms.EmailField}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A user with this e-mail address already exists."), code="unique")
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A user with this e-mail address already exists."), code="unique")
        return email


# --- sign-up and password reset ------------------------------------------------

# Requests that send e-mail, per address and per e-mail, in a fixed window (seconds).
MAIL_REQUESTS_MAX = getattr(settings, "MAIL_REQUESTS_MAX", 5)
MAIL_REQUESTS_WINDOW = getattr(settings, "MAIL_REQUESTS_WINDOW", 900)


def _count_mail_request(*, scope: str, email: str, ip: str) -> int:
    """Minutes to wait when the limit is reached (0 otherwise, and then this request is counted)."""
    minutes = ratelimit.wait_minutes(
        scope=scope, email=email, ip=ip, limit=MAIL_REQUESTS_MAX, window=MAIL_REQUESTS_WINDOW
    )
    if not minutes:
        ratelimit.hit(scope=scope, email=email, ip=ip, window=MAIL_REQUESTS_WINDOW)
    return minutes


class NewAccountForm(forms.Form):
    """Name, password twice and language of a new account. Subclasses say which e-mail it will have."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password, to check it."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails are shown in this language."),
    )

    def account_email(self) -> str:
        raise NotImplementedError

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            # Compared with the name and e-mail of the account (UserAttributeSimilarityValidator).
            candidate = User(email=self.account_email(), full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupForm(NewAccountForm):
    """A new applicant account. The e-mail is not checked for duplicates here: the form must not reveal it."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You will sign in with this address. We send a confirmation link to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["full_name", "email", "password1", "password2", "language"]

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def account_email(self) -> str:
        return self.cleaned_data.get("email") or ""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            ip = throttle.client_ip(self.request) if self.request else ""
            minutes = _count_mail_request(scope="signup", email=cleaned["email"], ip=ip)
            if minutes:
                raise ValidationError(
                    ngettext(
                        "Too many sign-up requests. Try again in %(minutes)s minute.",
                        "Too many sign-up requests. Try again in %(minutes)s minutes.",
                        minutes,
                    ),
                    code="throttled",
                    params={"minutes": minutes},
                )
        return cleaned


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Ask for a reset link. Sends through Celery, in the account holder's language; limited per address and IP."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            ip = throttle.client_ip(self.request) if self.request else ""
            minutes = _count_mail_request(scope="password-reset", email=cleaned["email"], ip=ip)
            if minutes:
                raise ValidationError(
                    ngettext(
                        "Too many password reset requests. Try again in %(minutes)s minute.",
                        "Too many password reset requests. Try again in %(minutes)s minutes.",
                        minutes,
                    ),
                    code="throttled",
                    params={"minutes": minutes},
                )
        return cleaned

    def save(self, **kwargs) -> None:
        # Replaces Django's synchronous send: the task builds the link (SITE_URL) and
        # renders it in user.language. Django's options (domain, templates) do not apply.
        password_reset_request(email=self.cleaned_data["email"])
