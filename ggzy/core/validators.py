"""Text that reaches the database carries no C0 control characters (issue 14 item 11).

NUL is refused by PostgreSQL in text (a 500 there, silently stored on SQLite);
the others (ESC, BEL, vertical tab…) have no place in a notice, a title or a
file name and can hide text from reviewers. Multi-line text keeps tab, line
feed and carriage return (a browser's textarea sends CR LF); single-line text
keeps none of them.
"""

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SINGLE_LINE_MESSAGE = _("不能包含控制字符（含换行、制表符）。")
MULTI_LINE_MESSAGE = _("不能包含控制字符（换行和制表符除外）。")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    return bool((_MULTI_LINE if multiline else _SINGLE_LINE).search(value))


def validate_single_line_text(value: Any) -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def validate_multi_line_text(value: Any) -> None:
    if isinstance(value, str) and has_control_characters(value, multiline=True):
        raise ValidationError(MULTI_LINE_MESSAGE, code="control_characters")


def control_character_errors(data: Any, *, multiline: frozenset[str] = frozenset(), prefix: str = "") -> dict:
    """Per-field errors for every string in ``data`` (nested dicts and lists walked,
    keys joined with dots); a field named in ``multiline`` may hold tab and newlines."""
    errors: dict[str, list[str]] = {}

    def walk(value: Any, path: str, name: str) -> None:
        if isinstance(value, str):
            allow = name in multiline
            if has_control_characters(value, multiline=allow):
                errors.setdefault(path or "__all__", []).append(
                    str(MULTI_LINE_MESSAGE if allow else SINGLE_LINE_MESSAGE)
                )
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key), str(key))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}" if path else str(index), name)

    walk(data, prefix, prefix)
    return errors


def check_form_text(form) -> bool:
    """Add an error to each text field of a cleaned form that holds control characters
    (tab and newlines allowed in textareas and rich text); True when all are clean."""
    clean = True
    for name, value in list((getattr(form, "cleaned_data", None) or {}).items()):
        if not isinstance(value, str) or name not in form.fields:
            continue
        widget = form.fields[name].widget
        multiline = isinstance(widget, forms.Textarea) or "richtext" in type(widget).__name__.lower()
        if has_control_characters(value, multiline=multiline):
            form.add_error(name, MULTI_LINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE)
            clean = False
    return clean


class ControlCharacterFormMixin:
    """For Django forms: every text field refuses control characters (see check_form_text)."""

    def clean(self):
        cleaned = super().clean()
        check_form_text(self)
        return cleaned


def storable_text(value: str) -> str:
    """``value`` with NUL shown as ␀: PostgreSQL refuses NUL in text and in jsonb.

    The audit log records what an attacker sent (a path, an external id) before
    any validation; the record must never fail on it, and ␀ keeps the evidence visible.
    """
    return value.replace("\x00", "\u2400")
