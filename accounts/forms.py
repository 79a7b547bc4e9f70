from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import throttle
from .models import User


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
