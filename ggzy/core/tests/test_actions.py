"""The audit action registry (ggzy.core.actions): what it accepts and refuses."""

import pytest

from ggzy.core import actions


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so that these names do not outlive the test."""
    monkeypatch.setattr(actions, "_actions", dict(actions._actions))
    monkeypatch.setattr(actions, "_families", list(actions._families))
    return actions


def test_a_registered_action_has_its_label(registry):
    registry.register_actions("tests", {"tests.registry.made": "测试：已登记"})
    assert registry.is_registered("tests.registry.made")
    assert registry.action_label("tests.registry.made") == "测试：已登记"
    assert registry.registered_actions()["tests.registry.made"] == ("tests", "测试：已登记")
    # Old events keep the name they were recorded with: shown raw.
    assert not registry.is_registered("tests.registry.gone")
    assert registry.action_label("tests.registry.gone") == "tests.registry.gone"


def test_registering_the_same_name_again_is_a_no_op_only_if_identical(registry):
    registry.register_actions("tests", {"tests.registry.twice": "测试：两次"})
    registry.register_actions("tests", {"tests.registry.twice": "测试：两次"})
    with pytest.raises(ValueError, match="already registered"):
        registry.register_actions("other", {"tests.registry.twice": "测试：两次"})
    with pytest.raises(ValueError, match="already registered"):
        registry.register_actions("tests", {"tests.registry.twice": "测试：另一个意思"})
    assert registry.action_label("tests.registry.twice") == "测试：两次"


@pytest.mark.parametrize(
    "name", ["login", "tests.login", "Tests.thing.done", "tests.thing.done.", "tests..done"]
)
def test_names_must_be_app_object_verb(registry, name):
    with pytest.raises(ValueError, match=r"app\.object\.verb"):
        registry.register_actions("tests", {name: "测试"})


def test_a_label_is_required(registry):
    with pytest.raises(ValueError, match="label"):
        registry.register_actions("tests", {"tests.registry.unlabelled": " "})


def test_a_family_registers_the_names_its_label_function_accepts(registry):
    registry.register_action_family(
        "tests",
        pattern=r"tests\.family\.(?P<verb>[a-z]+)",
        label=lambda match: {"opened": "测试：打开"}.get(match.group("verb")),
        description="测试：一族",
    )
    assert registry.is_registered("tests.family.opened")
    assert registry.action_label("tests.family.opened") == "测试：打开"
    assert not registry.is_registered("tests.family.closed")
    assert not registry.is_registered("tests.family.opened.twice")
