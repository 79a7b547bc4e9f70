from contextlib import contextmanager

import pytest

from .steps import bring_to


@pytest.fixture
def with_a_broker(django_capture_on_commit_callbacks):
    """`with with_a_broker() as callbacks:` tasks are published, not run in the request, as in
    production (the root conftest makes them eager); what would be published after commit is
    captured in `callbacks`, not run."""
    from config import celery_app

    @contextmanager
    def publishing():
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                yield callbacks
        finally:
            celery_app.conf.task_always_eager = eager

    return publishing


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
