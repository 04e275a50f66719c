"""Fixtures shared by the fuzz tests (the strategies and helpers are in
tests/fuzzing.py): each test's requests are counted, and each gets the cast's
world, a foreign production and the editor's and manager's clients."""

import pytest

from tests.conftest import client_for
from tests.fuzzing import counting, foreign_production
from tests.urlcases import build_world


@pytest.fixture(autouse=True)
def _counted(request):
    with counting(request.node.name):
        yield


@pytest.fixture
def world(production, cast):
    return build_world(production, cast)


@pytest.fixture
def foreign(db):
    """A production none of the cast belongs to, with one of everything
    (see tests/fuzzing.py)."""
    return foreign_production()


@pytest.fixture
def clients(cast):
    return {"editor": client_for(cast["editor"]), "manager": client_for(cast["manager"])}
