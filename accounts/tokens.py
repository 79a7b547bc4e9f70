"""One-time links for confirming a new account's e-mail address."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token, with its own salt and is_active in the hash.

    Activating the account changes is_active (and last_login, since confirming signs
    the person in), so a link works once. It expires after settings.PASSWORD_RESET_TIMEOUT.
    """

    key_salt = "accounts.tokens.SignupTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        login_timestamp = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{user.is_active}{login_timestamp}{timestamp}{user.email}"


signup_token = SignupTokenGenerator()
