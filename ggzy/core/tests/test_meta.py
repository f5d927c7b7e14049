"""Every management command of ggzy has a test that calls it (as NetBox checks)."""

from pathlib import Path

GGZY = Path(__file__).resolve().parents[2]


def test_every_management_command_is_exercised_by_a_test():
    commands = {
        path.stem for path in GGZY.glob("*/management/commands/*.py") if not path.name.startswith("_")
    }
    assert commands, "no commands found: the glob is wrong"
    test_text = "\n".join(p.read_text(encoding="utf-8") for p in GGZY.glob("*/tests/**/test_*.py"))
    untested = sorted(
        name
        for name in commands
        if f'call_command("{name}"' not in test_text and f'"{name}"' not in test_text
    )
    assert not untested, f"management commands without a test: {untested}"
