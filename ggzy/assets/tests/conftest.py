import pytest

from ggzy.vendors.tests.factories import People


@pytest.fixture
def people(db):
    return People()
