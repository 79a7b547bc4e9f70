import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the (process-wide) cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def vocabularies(db):
    """Populations and themes (data migrations load them; a transactional test's flush may have emptied them)."""
    from accounts.models import Population
    from accounts.vocabulary import POPULATIONS, THEMES, vocabulary_load
    from fonds.models import Theme

    vocabulary_load(Population, POPULATIONS)
    vocabulary_load(Theme, THEMES)
