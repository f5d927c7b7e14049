"""The audit tests record events of their own, under ``tests.*`` names that are
registered here (``audit.record`` refuses unregistered names), so that the chain,
access and retention tests need no real action of another app."""

from ggzy.core.actions import register_actions

TEST_ACTIONS = {
    "tests.thing.done": "测试：完成",
    "tests.thing.done_later": "测试：稍后完成",
    "tests.thing.changed": "测试：变更",
    "tests.thing.concurrent": "测试：并发写入",
    "tests.thing.late": "测试：非工作时间",
    "tests.thing.holiday": "测试：节假日",
    "tests.thing.makeup": "测试：调休工作日",
    "tests.page.item": "测试：分页条目",
}
register_actions("tests", TEST_ACTIONS)
