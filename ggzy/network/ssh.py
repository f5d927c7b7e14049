"""Reading a device's running and saved configurations over SSH (netmiko), with
bounded timeouts: every failure is a ``PullError`` with an outcome and an English
reason, never a hang and never the password."""

from __future__ import annotations

import contextlib
import re
import socket

from django.views.decorators.debug import sensitive_variables

from .choices import CONFIG_COMMANDS, CONFIG_LAST_LINE, VERSION_COMMANDS, PullOutcome


class PullError(Exception):
    def __init__(self, outcome: str, reason: str):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


@sensitive_variables("password")
def fetch_configs(
    *, platform: str, host: str, port: int, username: str, password: str, timeout: int
) -> tuple[str, str, str | None]:
    """(running, saved, version) as the device prints them; ``version`` is the output of
    ``display version``/``show version`` (六), None when that command failed (the pull
    does not fail for it)."""
    from netmiko import ConnectHandler
    from netmiko.exceptions import (
        NetmikoAuthenticationException,
        NetmikoTimeoutException,
        ReadTimeout,
    )
    from paramiko.ssh_exception import SSHException

    running_cmd, saved_cmd = CONFIG_COMMANDS[platform]
    # A plain TCP connect first: refused / unreachable / silent are told apart clearly.
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError:
        raise PullError(PullOutcome.UNREACHABLE, f"{host}:{port}: connection refused") from None
    except TimeoutError:
        raise PullError(PullOutcome.TIMEOUT, f"{host}:{port}: no TCP answer within {timeout} s") from None
    except OSError as exc:
        raise PullError(PullOutcome.UNREACHABLE, f"{host}:{port}: {exc.strerror or exc}"[:400]) from None
    try:
        connection = ConnectHandler(
            device_type=platform,
            host=host,
            port=port,
            username=username,
            password=password,
            conn_timeout=timeout,
            auth_timeout=timeout,
            banner_timeout=timeout,
            blocking_timeout=timeout,
            timeout=timeout,
            read_timeout_override=timeout,
            allow_agent=False,
            use_keys=False,
            ssh_config_file=None,
        )
    except NetmikoAuthenticationException:
        raise PullError(PullOutcome.AUTH_FAILED, f"SSH authentication to {host}:{port} failed") from None
    except NetmikoTimeoutException as exc:
        text = str(exc).lower()
        outcome = (
            PullOutcome.UNREACHABLE if "refused" in text or "unreachable" in text else PullOutcome.TIMEOUT
        )
        reason = "connection refused" if "refused" in text else f"no SSH answer within {timeout} s"
        raise PullError(outcome, f"{host}:{port}: {reason}") from None
    except (ReadTimeout, TimeoutError):
        raise PullError(PullOutcome.TIMEOUT, f"{host}:{port}: no prompt within {timeout} s") from None
    except (OSError, SSHException, EOFError) as exc:
        raise PullError(
            PullOutcome.UNREACHABLE, f"{host}:{port}: {type(exc).__name__}: {exc}"[:400]
        ) from None
    try:
        running = _read_config(connection, running_cmd, platform, timeout, required=True)
        saved = _read_config(connection, saved_cmd, platform, timeout, required=False)
        version = _read_version(connection, platform, timeout)
    except (ReadTimeout, TimeoutError):
        raise PullError(
            PullOutcome.TIMEOUT, f"{host}:{port}: the configuration was not complete within {timeout} s"
        ) from None
    except (OSError, SSHException, EOFError) as exc:
        raise PullError(
            PullOutcome.UNREACHABLE, f"{host}:{port}: connection lost: {type(exc).__name__}"
        ) from None
    finally:
        with contextlib.suppress(Exception):  # the pull's outcome is already decided
            connection.disconnect()
    return running, saved, version


def complete(text: str, platform: str) -> bool:
    """The configuration ends with the line the platform closes it with."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and lines[-1] == CONFIG_LAST_LINE[platform]


def _prompt_pattern(connection) -> str:
    """The end of a command's output: the device's prompt (``<CORE-SW>``, ``[CORE-SW]``,
    ``EDGE-RTR#``) as the last thing read. netmiko's default looks the prompt up again
    before every command and then accepts it anywhere in the output, so what a slow
    device left in the buffer decides where a configuration ends."""
    return rf"{re.escape(connection.base_prompt)}[>#\]]\s*$"


def without_echo(text: str, command: str, base_prompt: str) -> str:
    """The output without what precedes the configuration: blank lines, a bare prompt
    or a stray ``>``/``]``, and the command's echo (``>display current-configuration``,
    ``<CORE-SW>display current-configuration``) that netmiko leaves when a prompt
    character was still in the buffer (seen with Comware). A configuration line never
    ends with the command that prints it."""
    # A lone "#" stays: Comware's and VRP's configurations begin with one.
    prompt = re.compile(rf"^(?:[<\[]?{re.escape(base_prompt)}[>#\]]?|[>\]])$")
    lines = text.split("\n")
    start = 0
    while start < len(lines):
        line = lines[start].strip()
        if line and not line.endswith(command) and not prompt.match(line):
            break
        start += 1
    return "\n".join(lines[start:])


def _run(connection, command: str, timeout: int) -> str:
    """One command's output: the channel cleared first, the read ended by the prompt
    (``_prompt_pattern``), the echo at the top dropped (``without_echo``)."""
    connection.clear_buffer()
    text = connection.send_command(command, expect_string=_prompt_pattern(connection), read_timeout=timeout)
    return without_echo(text, command, connection.base_prompt)


def _read_config(connection, command: str, platform: str, timeout: int, *, required: bool) -> str:
    """One configuration, read again once when the first read came back empty or cut
    short (no closing line: the session lost or garbled part of it). Cut short twice is
    a failed pull, never a partial version. An empty saved configuration is none saved
    (not required)."""
    text = ""
    for _attempt in range(2):
        text = _run(connection, command, timeout)
        if complete(text, platform) or (not required and not text.strip()):
            return text
    if not text.strip():
        return text  # the caller records "an empty configuration"
    last = CONFIG_LAST_LINE[platform]
    raise PullError(
        PullOutcome.ERROR,
        f"'{command}' printed a configuration cut short (no closing '{last}' line), twice",
    )


def _read_version(connection, platform: str, timeout: int) -> str | None:
    from netmiko.exceptions import ReadTimeout

    command = VERSION_COMMANDS.get(platform)
    if command is None:
        return None
    try:
        return _run(connection, command, timeout)
    except (ReadTimeout, TimeoutError):
        return None
