"""Registration points of the compliance backbone (keep these small and stable).

An app that homes a clause registers, from its own ``checks.py`` imported in its
AppConfig.ready():

    from ggzy.compliance.registry import CheckResult, register_check

    @register_check("wzgl.18", "yjya.6.1")
    def tamper_check_recent(*, today):
        ...
        return CheckResult("met", _("最近一次防篡改检查未发现异常"), links=[...])

and its periodic duties with ``register_obligation(key=..., ...)`` (loaded into
the database by ``setup_center``). compliance imports none of these apps.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .choices import CHECK_STATUSES, Status

logger = logging.getLogger(__name__)

__all__ = [
    "Check",
    "CheckResult",
    "ObligationSpec",
    "all_checks",
    "all_obligations",
    "checks_for",
    "register_check",
    "register_obligation",
    "run_check",
]


@dataclass(frozen=True)
class CheckResult:
    """status: met / due_soon / overdue / failing / no_data; detail: one Chinese line;
    links: [(label, url)] to the evidence. ``per_clause``: when one check reads many
    clauses at once (the portal's columns, one per row of the 附表), each clause's own
    result — the check's own is then the summary."""

    status: str
    detail: str
    links: tuple[tuple[str, str], ...] = ()
    per_clause: Mapping[str, CheckResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in CHECK_STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")
        object.__setattr__(self, "links", tuple(tuple(link) for link in self.links))

    def for_clause(self, key: str) -> CheckResult:
        return self.per_clause.get(key, self)


@dataclass(frozen=True)
class Check:
    name: str  # "<app>.<function>", e.g. "compliance.audit_log_kept"
    clause_keys: tuple[str, ...]
    func: Callable[..., CheckResult]


_CHECKS: dict[str, Check] = {}


def register_check(*clause_keys: str, name: str | None = None):
    """Declare a live check for one or more clauses. The function takes
    ``today`` (keyword) and returns a CheckResult; it must be cheap (bounded
    queries) and never write."""
    if not clause_keys:
        raise ValueError("a check homes at least one clause")

    def decorator(func: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
        check_name = name or f"{func.__module__.split('.')[1]}.{func.__name__}"
        existing = _CHECKS.get(check_name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"check {check_name!r} is registered twice")
        _CHECKS[check_name] = Check(check_name, tuple(clause_keys), func)
        return func

    return decorator


def all_checks() -> dict[str, Check]:
    return dict(_CHECKS)


def checks_for(clause_key: str) -> list[Check]:
    return [check for check in _CHECKS.values() if clause_key in check.clause_keys]


def run_check(check: Check, *, today: dt.date) -> CheckResult:
    """Run one check; a check that crashes is reported as failing, not hidden."""
    try:
        result = check.func(today=today)
    except Exception as exc:
        logger.exception("compliance check %s failed", check.name)
        return CheckResult(Status.FAILING, _("检查程序出错：%(error)s") % {"error": type(exc).__name__})
    if not isinstance(result, CheckResult):
        return CheckResult(Status.FAILING, _("检查程序未返回结果"))
    return result


# --------------------------------------------------------------------------- obligations


@dataclass(frozen=True)
class ObligationSpec:
    key: str
    title: str
    clauses: tuple[str, ...]
    owner_role: str
    rrule: str
    starts_on: dt.date
    evidence: str
    non_working_day: str = "previous"
    checklist: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    due_soon_days: int = 7


_OBLIGATIONS: dict[str, ObligationSpec] = {}


def register_obligation(
    *,
    key: str,
    title: str,
    clauses: Iterable[str],
    owner_role: str,
    rrule: str,
    starts_on: dt.date,
    evidence: str,
    non_working_day: str = "previous",
    checklist: Iterable[dict[str, Any]] = (),
    due_soon_days: int = 7,
) -> ObligationSpec:
    """Declare a periodic duty; ``setup_center`` (obligations_load) writes it to the
    database, validated there (a malformed rule is refused with a Chinese error)."""
    spec = ObligationSpec(
        key=key,
        title=title,
        clauses=tuple(clauses),
        owner_role=owner_role,
        rrule=rrule,
        starts_on=starts_on,
        evidence=evidence,
        non_working_day=non_working_day,
        checklist=tuple(dict(item) for item in checklist),
        due_soon_days=due_soon_days,
    )
    existing = _OBLIGATIONS.get(key)
    if existing is not None and existing != spec:
        raise ValueError(f"obligation {key!r} is registered twice with different definitions")
    _OBLIGATIONS[key] = spec
    return spec


def all_obligations() -> dict[str, ObligationSpec]:
    return dict(_OBLIGATIONS)


_RETIRED: set[str] = set()


def retire_obligation(key: str) -> None:
    """Declare that a built-in obligation no longer exists (e.g. a module took over its
    duty): ``obligations_load`` deactivates its stored row; its history stays."""
    _RETIRED.add(key)


def retired_obligations() -> set[str]:
    return set(_RETIRED)
