"""The security-event seam the audit app connects to."""

import logging

import pytest

from ggzy.accounts.events import emit, security_event
from ggzy.core.actions import register_actions

pytestmark = pytest.mark.django_db

register_actions("tests", {"accounts.test.happened": "测试：身份事件"})


def test_emit_sends_the_signal_and_logs_without_secrets(caplog):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    security_event.connect(receiver, weak=False, dispatch_uid="test-emit")
    try:
        with caplog.at_level(logging.INFO, logger="ggzy.security"):
            emit(
                "accounts.test.happened",
                outcome="failure",
                username="zhangsan",
                password="hunter2-secret",
                token="123456",
                ip="10.0.0.1",
            )
    finally:
        security_event.disconnect(dispatch_uid="test-emit")
    (event,) = received
    assert event["action"] == "accounts.test.happened" and event["outcome"] == "failure"
    assert event["data"]["username"] == "zhangsan" and event["data"]["ip"] == "10.0.0.1"
    assert event["data"]["password"] != "hunter2-secret" and event["data"]["token"] != "123456"
    assert "accounts.test.happened" in caplog.text
    assert "hunter2-secret" not in caplog.text and "123456" not in caplog.text
