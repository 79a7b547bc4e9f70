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
    from accounts.models import Population
    from accounts.vocabulary import POPULATIONS, vocabulary_load

    vocabulary_load(Population, POPULATIONS)
