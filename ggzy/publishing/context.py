"""Which governed action is running in this thread/task.

Publishing and unpublishing are refused everywhere (admin buttons, bulk
actions, revision revert, code calling ``revision.publish(user=...)``) except
inside the two governed paths: a completed approval chain, and an emergency
takedown with a reason (网站管理制度 第十一条, 第十八条).
"""

from contextlib import contextmanager
from contextvars import ContextVar

_chain_publish: ContextVar[bool] = ContextVar("ggzy_chain_publish", default=False)
_takedown: ContextVar[bool] = ContextVar("ggzy_takedown", default=False)


@contextmanager
def _flag(var: ContextVar[bool]):
    token = var.set(True)
    try:
        yield
    finally:
        var.reset(token)


def chain_publishing():
    return _flag(_chain_publish)


def takedown_in_progress():
    return _flag(_takedown)


def is_chain_publishing() -> bool:
    return _chain_publish.get()


def is_takedown() -> bool:
    return _takedown.get()
