"""Playbook actions: the steps ggzy itself can carry out, as buttons on the incident
(网络信息安全故障应急预案 第六条(二) 封锁被攻破的账号; 第六条(三) 恢复数据、程序).

``incidents`` sits below sitebuild and notices in the layer contract, so it
cannot call them: they register what they can do here, from their own
AppConfig.ready()::

    from ggzy.incidents.actions import register_playbook_action

    register_playbook_action(
        "sitebuild.restore", _("从签名清单恢复网站"), site_restore_action,
        roles=(RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN),
    )

``fn(*, incident, actor, reason, target) -> str`` does the work (through the
module's own services, which audit it) and returns one Chinese line for the
timeline; it raises ``ValidationError`` with a Chinese message when it cannot.
Running one (``services.playbook_action_run``) needs a confirmation, one of
the roles and a reason, and is audited with its outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["PlaybookAction", "action_for", "all_actions", "register_playbook_action"]


@dataclass(frozen=True)
class PlaybookAction:
    key: str
    label: object  # str or lazy translation
    fn: Callable[..., str]
    roles: frozenset[str]
    # What the action needs to be told (e.g. the user name of the account to lock); "" for nothing.
    target_label: object = ""
    target_optional: bool = False  # the field is offered but may stay empty


_ACTIONS: dict[str, PlaybookAction] = {}


def register_playbook_action(
    key: str,
    label,
    fn: Callable[..., str],
    roles: Iterable[str],
    *,
    target_label="",
    target_optional: bool = False,
) -> PlaybookAction:
    """Register (or re-register, idempotently) the action ``key`` (``app.verb``)."""
    if "." not in key:
        raise ValueError(f"playbook action key must be app.verb, got {key!r}")
    roles = frozenset(roles)
    if not roles:
        raise ValueError(f"playbook action {key!r} must name the roles that may run it")
    action = PlaybookAction(
        key=key, label=label, fn=fn, roles=roles, target_label=target_label, target_optional=target_optional
    )
    _ACTIONS[key] = action
    return action


def action_for(key: str) -> PlaybookAction | None:
    return _ACTIONS.get(key)


def all_actions() -> dict[str, PlaybookAction]:
    return dict(_ACTIONS)
