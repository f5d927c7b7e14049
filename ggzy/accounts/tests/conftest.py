import pytest

from ggzy.accounts.events import security_event


@pytest.fixture
def security_events():
    """Every security event emitted during the test, as (action, outcome, kwargs)."""
    seen = []

    def receiver(sender, action, outcome, **kwargs):
        seen.append((action, outcome, kwargs))

    security_event.connect(receiver, weak=False, dispatch_uid="test-security-events")
    yield seen
    security_event.disconnect(dispatch_uid="test-security-events")


def actions(seen) -> list[str]:
    return [action for action, _, _ in seen]
