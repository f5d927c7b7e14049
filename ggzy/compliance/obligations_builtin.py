"""compliance's own obligations (data/obligations.toml), registered like any module's."""

import tomllib
from pathlib import Path

from .registry import register_obligation, retire_obligation

OBLIGATIONS_FILE = Path(__file__).parent / "data" / "obligations.toml"


def register_file(path: Path = OBLIGATIONS_FILE) -> None:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    for spec in data.get("obligation", []):
        register_obligation(**spec)
    for key in data.get("retired", []):
        retire_obligation(key)


register_file()
