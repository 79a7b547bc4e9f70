"""Writes on accounts."""

from django.conf import settings

from .models import User


def user_update_preferences(*, user: User, full_name: str, language: str) -> User:
    """Save the person's name and preferred language. Raises ValueError for a language the site does not offer."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language: {language!r}")
    user.full_name = full_name
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user
