import pytest

from .factories import People


@pytest.fixture
def people(db):
    return People()
