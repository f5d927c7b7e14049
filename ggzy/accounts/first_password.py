"""The first administrator's generated password, kept for the person who ran
`make run` in a 0600 file under var/ until it is changed (issue 20: the first five
minutes). Production deployments read it from setup_center's output instead and
may delete the file at once; nothing else reads it."""

import os
from pathlib import Path

from django.conf import settings

from .models import User


def path() -> Path:
    return Path(settings.VAR_DIR) / "first-admin-password.txt"


def keep(*, username: str, password: str) -> Path:
    """Write the file (owner-only from its creation: never world-readable, even briefly)."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"user name: {username}\npassword:  {password}\n")
    return target


def _read() -> tuple[str, str] | None:
    try:
        lines = path().read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 2:
        return None
    return lines[0].removeprefix("user name:").strip(), lines[1].removeprefix("password:").strip()


def username() -> str | None:
    """The user the file is for; None when there is no file."""
    kept = _read()
    return kept[0] if kept else None


def current() -> str | None:
    """The user name, while the kept password is still that user's password; a file
    whose password was changed some other way (``manage.py changepassword``) is
    deleted here and None returned."""
    kept = _read()
    if kept is None:
        return None
    user = User.objects.filter(username=kept[0]).first()
    if user is None or not user.check_password(kept[1]):
        path().unlink(missing_ok=True)
        return None
    return kept[0]


def forget(*, user) -> None:
    """Delete the file once that user's first password is changed (by them or an admin)."""
    if username() == user.get_username():
        path().unlink(missing_ok=True)
