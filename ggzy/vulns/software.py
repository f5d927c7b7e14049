"""Software on the center's computers (网络与系统安全维护管理制度 二(二)): 信息科 installs
and looks after software; nobody installs anything unrelated to work. 信息科 keeps the
list of software it allows (a register) and takes stock of each computer's installed
programs — exported on the machine (e.g. ``Get-Package``, the control panel's program
list or an inventory tool) and imported here, no agent on the endpoints. A program no
entry allows, or a computer not inventoried within the period, is a problem."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fnmatch import fnmatchcase

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.assets.models import Asset
from ggzy.audit import services as audit
from ggzy.compliance.registers import Register, RegisterSet
from ggzy.core.tabular import read_csv

from . import rules
from .models import ApprovedSoftware, InstalledSoftware, SoftwareInventory
from .selectors import computers

CSV_COLUMNS = ("asset_number", "taken_on", "name", "version", "publisher")
SHOWN_NAMES = 3


def inventory_max_age() -> int:
    # The regulation names no period; quarterly matches the government-website inspections.
    return getattr(settings, "VULNS_SOFTWARE_INVENTORY_MAX_AGE_DAYS", 92)


def _approver(*, row, actor, created):
    """Whoever saves an entry approves it (only the 网络管理员 may, rules.may_record_endpoints)."""
    row.approved_by = actor
    row.approved_on = timezone.localdate()


APPROVED = RegisterSet(
    app="vulns",
    path="vulns/software",
    audit_action="vulns.software.approved",
    may_see=rules.may_see,
    may_keep=lambda user, register, row: rules.may_record_endpoints(user),
    refusal=gettext_lazy("准许安装的软件由信息科网络管理员维护。"),
    registers=(
        Register(
            "software",
            ApprovedSoftware,
            ("name_pattern", "publisher", "purpose", "active"),
            gettext_lazy("准许安装的软件"),
            gettext_lazy(
                "网络与系统安全维护管理制度 二(二)：软件的安装由中心信息科负责，"
                "不得私自安装与工作、学习无关的软件。"
                "软件名称不区分大小写，可用 * 和 ? 通配（如 Microsoft Office*）。"
            ),
            ("name_pattern", "publisher", "purpose", "active", "approved_by", "approved_on"),
            related=("approved_by",),
            before_save=_approver,
        ),
    ),
)


class Allowlist:
    """The active entries, matched case-insensitively with shell wildcards; an entry
    with a publisher also needs the program's publisher to contain it."""

    def __init__(self, entries):
        self.entries = [(e.name_pattern.casefold(), e.publisher.casefold().strip()) for e in entries]

    @classmethod
    def current(cls) -> Allowlist:
        return cls(ApprovedSoftware.objects.filter(active=True).only("name_pattern", "publisher"))

    def allows(self, name: str, publisher: str = "") -> bool:
        name, publisher = name.casefold().strip(), (publisher or "").casefold()
        return any(fnmatchcase(name, pattern) and (not by or by in publisher) for pattern, by in self.entries)


def latest_inventories(assets) -> dict[int, SoftwareInventory]:
    """The newest inventory of each of the given computers (one query)."""
    newest = (
        SoftwareInventory.objects.filter(asset=OuterRef("pk")).order_by("-taken_on", "-id").values("pk")[:1]
    )
    ids = [pk for pk in assets.annotate(newest=Subquery(newest)).values_list("newest", flat=True) if pk]
    return {inv.asset_id: inv for inv in SoftwareInventory.objects.filter(pk__in=ids)}


def unapproved_by_inventory(inventory_ids, allowlist: Allowlist) -> dict[int, list[InstalledSoftware]]:
    out: dict[int, list[InstalledSoftware]] = defaultdict(list)
    for item in InstalledSoftware.objects.filter(inventory_id__in=list(inventory_ids)).order_by("name"):
        if not allowlist.allows(item.name, item.publisher):
            out[item.inventory_id].append(item)
    return out


def software_problems(assets, *, today: dt.date) -> dict[int, list[str]]:
    """Per computer (by pk), what is wrong with its software — four queries for any
    number of computers."""
    inventories = latest_inventories(assets)
    unapproved = unapproved_by_inventory((i.pk for i in inventories.values()), Allowlist.current())
    out: dict[int, list[str]] = {}
    for pk in assets.values_list("pk", flat=True):
        inventory = inventories.get(pk)
        problems = []
        if inventory is None:
            problems.append(_("未清点已安装软件"))
        else:
            if (today - inventory.taken_on).days > inventory_max_age():
                problems.append(_("超过 %(n)s 天未清点软件") % {"n": inventory_max_age()})
            extra = unapproved.get(inventory.pk, [])
            if extra:
                names = "、".join(item.name for item in extra[:SHOWN_NAMES])
                more = _("等 %(n)d 款") % {"n": len(extra)} if len(extra) > SHOWN_NAMES else ""
                problems.append(_("未经信息科准许的软件：%(names)s%(more)s") % {"names": names, "more": more})
        out[pk] = problems
    return out


def _date(text: str, where: str):
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(
            _("%(where)s：清点日期应为 YYYY-MM-DD，实为 “%(value)s”。") % {"where": where, "value": text[:20]}
        ) from None


def inventory_import(*, upload, actor) -> int:
    """A CSV of CSV_COLUMNS (UTF-8, BOM allowed; one row per installed program, any
    number of computers), all or nothing: each computer's rows become one inventory.
    Returns the number of computers."""
    if not rules.may_record_endpoints(actor):
        raise PermissionDenied(_("软件清点由信息科网络管理员登记。"))
    rows = read_csv(upload, CSV_COLUMNS, max_mb=5)
    if not rows:
        raise ValidationError(_("CSV 中没有数据行。"))
    known = {
        a.number: a for a in computers().filter(number__in={(r["asset_number"] or "").strip() for r in rows})
    }
    today = timezone.localdate()
    grouped: dict[tuple[Asset, dt.date], list[InstalledSoftware]] = defaultdict(list)
    for line, row in enumerate(rows, start=2):
        where = _("第 %(n)s 行") % {"n": line}
        number = (row["asset_number"] or "").strip()
        computer = known.get(number)
        if computer is None:
            raise ValidationError(
                _("%(where)s：资产台账中没有在用的计算机 “%(number)s”。")
                % {"where": where, "number": number[:40]}
            )
        taken_on = _date(row["taken_on"], where)
        if taken_on > today:
            raise ValidationError(_("%(where)s：清点日期不能晚于今天。") % {"where": where})
        name = (row["name"] or "").strip()
        if not name:
            raise ValidationError(_("%(where)s：软件名称为空。") % {"where": where})
        grouped[(computer, taken_on)].append(
            InstalledSoftware(
                name=name[:300],
                version=(row["version"] or "").strip()[:100],
                publisher=(row["publisher"] or "").strip()[:200],
            )
        )
    allowlist = Allowlist.current()
    with transaction.atomic():
        for (computer, taken_on), items in grouped.items():
            inventory = SoftwareInventory.objects.create(asset=computer, taken_on=taken_on, recorded_by=actor)
            for item in items:
                item.inventory = inventory
            InstalledSoftware.objects.bulk_create(items)
            audit.record(
                action="vulns.software.inventoried",
                actor=actor,
                obj=inventory,
                asset=computer.number,
                taken_on=taken_on.isoformat(),
                programs=len(items),
                unapproved=sum(1 for item in items if not allowlist.allows(item.name, item.publisher)),
            )
    return len({computer.pk for computer, _day in grouped})


def inventory_rows(computer: Asset) -> tuple[SoftwareInventory | None, list[tuple[InstalledSoftware, bool]]]:
    """One computer's newest inventory, each program with whether it is allowed."""
    inventory = computer.software_inventories.order_by("-taken_on", "-id").first()
    if inventory is None:
        return None, []
    allowlist = Allowlist.current()
    items = inventory.items.order_by("name")
    return inventory, [(item, allowlist.allows(item.name, item.publisher)) for item in items]
