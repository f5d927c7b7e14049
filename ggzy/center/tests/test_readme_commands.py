"""Issue 20: every manage.py command the README shows works as written from a
checkout after setup. The README writes them as ``bin/ggzy <command> …`` (the
wrapper sets the local environment); each is run here through the wrapper — with
``--help``, so that nothing is written — and every option the README gives it must
be one the command accepts."""

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
_COMMAND = re.compile(r"bin/ggzy\s+([a-z_]+)((?:[ \t]+[^\s`|]+)*)")


def readme_commands() -> dict[str, set[str]]:
    """{command: the --options the README uses with it}, from code spans and blocks."""
    text = README.read_text()
    spans = re.findall(r"`([^`]+)`", text) + [line for line in text.splitlines() if line.startswith("    ")]
    commands: dict[str, set[str]] = {}
    for span in spans:
        for name, rest in _COMMAND.findall(" ".join(span.split())):
            commands.setdefault(name, set()).update(re.findall(r"--[a-z][a-z-]*", rest))
    return commands


def test_the_readme_shows_its_commands_through_the_wrapper():
    text = README.read_text()
    assert not re.search(r"(?<!bin/)manage\.py \w", text), "write README commands as `bin/ggzy <command>`"
    commands = readme_commands()
    assert {"setup_center", "changepassword", "publishing_report", "create_api_token"} <= commands.keys()


@pytest.mark.parametrize("command", sorted(readme_commands()))
def test_each_readme_command_runs_from_the_checkout(command):
    env = {**os.environ}
    env.pop("GGZY_ENV", None)  # as a person types it: the wrapper's own local environment
    done = subprocess.run(
        [str(ROOT / "bin" / "ggzy"), command, "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for option in readme_commands()[command]:
        assert option in done.stdout, f"`bin/ggzy {command}` has no {option} (README)"
