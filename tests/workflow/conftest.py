import pytest

from .steps import bring_to


@pytest.fixture
def at(draft, applicant, manager, reviewer1, reviewer2, advisor):
    """at("decide") → the open decide task of the `draft` application."""

    def go(step, **kwargs):
        from reviewers.services import conflicts_declare

        for reviewer in (reviewer1, reviewer2):
            conflicts_declare(call=draft.call, member=reviewer)
        task = bring_to(
            step, application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2], **kwargs
        )
        draft.refresh_from_db()
        return task

    return go


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The standing users are many; PBKDF2 would make every test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
