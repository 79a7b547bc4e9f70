"""Standing users, one per role, plus an applicant of another organisation (the outsider)."""

import pytest

from . import factories as f


@pytest.fixture
def applicant(db):
    return f.make_user(email="alice@carrefour.example", role="applicant", full_name="Alice Applicant")


@pytest.fixture
def colleague(db, organisation):
    user = f.make_user(email="colin@carrefour.example", role="applicant", full_name="Colin Colleague")
    organisation.memberships.create(user=user)
    return user


@pytest.fixture
def outsider(db):
    user = f.make_user(email="olga@ailleurs.example", role="applicant", full_name="Olga Outsider")
    f.make_organisation(name="Ailleurs", mrc_code="081", admin=user)
    return user


@pytest.fixture
def advisor(db):
    return f.make_user(email="adele@soutien.example", role="advisor", full_name="Adèle Advisor")


@pytest.fixture
def reviewer1(db):
    return f.make_user(email="rene@comite.example", role="committee", full_name="René Reviewer")


@pytest.fixture
def reviewer2(db):
    return f.make_user(email="rita@comite.example", role="committee", full_name="Rita Reviewer", language="en")


@pytest.fixture
def manager(db):
    return f.make_user(email="manon@fonds.example", role="fund_manager", full_name="Manon Manager")


@pytest.fixture
def other_manager(db):
    """A fund manager of another fund."""
    user = f.make_user(email="marc@autre.example", role="fund_manager", full_name="Marc Other")
    f.make_fund(managers=[user], name="Autre fonds")
    return user


@pytest.fixture
def funder_user(db):
    return f.make_user(email="fanny@mrc.example", role="funder", full_name="Fanny Funder")


@pytest.fixture
def admin_user(db):
    return f.make_user(
        email="root@guichet.example", role="administrator", is_staff=True, is_superuser=True, full_name="Admin"
    )


@pytest.fixture
def organisation(db, applicant):
    return f.make_organisation(admin=applicant)


@pytest.fixture
def fund(db, manager, funder_user):
    return f.make_fund(managers=[manager], staff=[funder_user])


@pytest.fixture
def call(db, fund, reviewer1, reviewer2):
    return f.make_call(fund=fund, committee=[reviewer1, reviewer2])


@pytest.fixture
def draft(db, call, organisation, applicant):
    return f.make_draft(call=call, organisation=organisation, by=applicant)


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Uploads in a temporary folder; Celery tasks run eagerly unless a test starts a worker."""
    from config import celery_app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A private cache per test run, whatever REDIS_URL says: tests move the clock.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    celery_app.conf.task_always_eager = eager


def _restore_reference_data() -> None:
    """Reload what the data migrations hold (regions, MRC, role groups).

    A transactional test (live server, Celery worker) ends with a flush that
    empties every table, data migrations included; the next one needs them back.
    """
    import importlib

    from django.apps import apps

    for module in ("accounts.migrations.0002_regions_and_mrcs", "workflow.migrations.0002_roles"):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def transactional_db(transactional_db):
    _restore_reference_data()


@pytest.fixture
def db(db):
    # Tests whose database use pytest-django cannot see at collection may run after a flush.
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name="applicant").exists():
        _restore_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_marks(request):
    """Tests marked django_db(transaction=True) get the reference data back too (see transactional_db above)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")


@pytest.fixture
def spy_reads(monkeypatch):
    """spy_reads(module, unlocked, locked, after) → the reads of the draft a request makes, in order
    ("unlocked", "locked"), through `module`'s functions of those names; `after(n)` runs right
    after the n-th unlocked read, before the request writes (what another request could do then)."""

    def install(module, unlocked: str, locked: str, after):
        made = []
        real_read, real_lock = getattr(module, unlocked), getattr(module, locked)

        def read(user, pk, **options):
            found = real_read(user, pk, **options)
            made.append("unlocked")
            after(len(made))
            return found

        def lock(user, pk):
            made.append("locked")
            return real_lock(user, pk)

        monkeypatch.setattr(module, unlocked, read)
        monkeypatch.setattr(module, locked, lock)
        return made

    return install
