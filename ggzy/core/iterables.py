"""Small iteration helpers shared by the apps."""

import itertools
from collections.abc import Iterable, Iterator


def batched(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last may be shorter), streamed:
    itertools.batched arrives with Python 3.12; this project runs on 3.11."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
