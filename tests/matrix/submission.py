"""Permission-matrix entries — Issue 3: co-funding, similar projects.

ENTRIES maps a URL name to its cases (see tests/matrix/base.py and tests/test_permission_matrix.py).
The `world` fixture of the matrix test holds the scenario `s` (tests/scenario.py) passed to each lambda.
"""

from django.urls import reverse  # noqa: F401

from .base import LOGGED_IN, ROLES, Case, app, task  # noqa: F401

ENTRIES: dict[str, list[Case]] = {}
