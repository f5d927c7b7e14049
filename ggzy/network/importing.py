"""Importing an existing device inventory (网络安全管理办法 四(三): the 网络管理员 keeps the
device register) from a CSV (UTF-8, BOM allowed, or GBK as Excel/WPS write it on a
Chinese Windows) or an .xlsx workbook with Chinese headers.

All or nothing: the whole file is checked first; the first bad row is named with its
line, column and reason, and nothing is written. A device whose name is already in the
register is refused unless ``update_existing`` is chosen; then the non-empty cells of
its row replace the register's values (an empty cell leaves a value as it is). Segments
are found by name and created when missing; machine rooms must exist (facility).

Limits: files up to ``MAX_MB`` MB and ``MAX_ROWS`` data rows; rows are read as they
are iterated (xlsx in openpyxl's read-only mode), the devices to write are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.core.tabular import in_english, read_table
from ggzy.facility.models import Room

from . import rules
from .choices import DeviceKind, Platform
from .models import Device, Segment

MAX_MB = 5
MAX_ROWS = 5000

# Header → Device field, in the order of the template file.
COLUMNS = {
    "设备名称": "name",
    "设备类型": "kind",
    "厂商": "vendor",
    "型号": "model",
    "序列号": "serial",
    "系统平台": "platform",
    "管理地址": "mgmt_address",
    "SSH端口": "ssh_port",
    "直接责任人": "owner",
    "关键设备": "key_device",
    "面向互联网": "internet_facing",
    "网段": "segment",
    "机房": "room",
    "机柜/位置": "rack",
    "软件版本": "software_version",
    "目标版本": "target_version",
}
TEXT_FIELDS = ("vendor", "model", "serial", "mgmt_address", "rack", "software_version", "target_version")
TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
FALSE = {"否", "n", "no", "false", "0", "×", "✗", "f"}
PLATFORM_ALIASES = {
    "huawei": Platform.HUAWEI_VRP,
    "华为": Platform.HUAWEI_VRP,
    "vrp": Platform.HUAWEI_VRP,
    "h3c": Platform.HP_COMWARE,
    "华三": Platform.HP_COMWARE,
    "comware": Platform.HP_COMWARE,
    "cisco": Platform.CISCO_IOS,
    "思科": Platform.CISCO_IOS,
    "ios": Platform.CISCO_IOS,
}
ROW_ENGLISH = {
    "row": "line %(line)s, column %(column)s: %(en)s",
    "no_rows": "the file has no data rows",
    "too_many_rows": "more than %(n)s data rows",
    "conflict": "a device was saved by someone else meanwhile; nothing imported, try again",
}


@dataclass
class Change:
    device: Device
    changes: list[tuple[str, str, str]]  # (column, old, new)


@dataclass
class ImportResult:
    created: list[Device] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Device] = field(default_factory=list)
    new_segments: list[str] = field(default_factory=list)
    written: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.changed),
            "unchanged": len(self.unchanged),
            "segments_created": len(self.new_segments),
        }


def refusal_in_english(exc: ValidationError) -> list[str]:
    return in_english(exc, ROW_ENGLISH)


def _bad(line: int, column: str, zh: str, en: str):
    return ValidationError(
        _("第 %(line)s 行“%(column)s”列：%(reason)s"),
        code="row",
        params={"line": line, "column": column, "reason": zh, "en": en},
    )


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def _choice(choices, aliases=None):
    table = {}
    for value, label in choices.choices:
        table[_norm(value)] = value
        table[_norm(str(label))] = value
    table.update({_norm(k): v for k, v in (aliases or {}).items()})
    return table


class _Reader:
    """Turns one row's cells into field values, refusing a bad cell."""

    def __init__(self):
        self.kinds = _choice(DeviceKind)
        self.platforms = _choice(Platform, PLATFORM_ALIASES)
        users = list(User.objects.filter(is_active=True))
        self.users = {u.username.casefold(): u for u in users}
        self.by_full_name: dict[str, list[User]] = {}
        for u in users:
            name = _norm(u.get_full_name())
            if name:
                self.by_full_name.setdefault(name, []).append(u)
        self.segments = {s.name: s for s in Segment.objects.all()}
        self.rooms = {r.name: r for r in Room.objects.all()}
        self.lengths = {f: Device._meta.get_field(f).max_length for f in ("name", *TEXT_FIELDS)}

    def value(self, line: int, column: str, text: str):
        name = COLUMNS[column]
        if name in ("name", *TEXT_FIELDS):
            if len(text) > self.lengths[name]:
                raise _bad(
                    line,
                    column,
                    _("超过 %(n)s 个字符。") % {"n": self.lengths[name]},
                    f"longer than {self.lengths[name]} characters",
                )
            return text
        if name == "kind":
            if _norm(text) not in self.kinds:
                labels = "、".join(str(label) for label in DeviceKind.labels)
                raise _bad(
                    line,
                    column,
                    _("“%(v)s”不是设备类型（可填：%(labels)s）。") % {"v": text[:40], "labels": labels},
                    f"{text[:40]!r} is not a device type ({', '.join(DeviceKind.values)})",
                )
            return self.kinds[_norm(text)]
        if name == "platform":
            if _norm(text) not in self.platforms:
                labels = "、".join(str(label) for label in Platform.labels)
                raise _bad(
                    line,
                    column,
                    _("“%(v)s”不是系统平台（可填：%(labels)s）。") % {"v": text[:40], "labels": labels},
                    f"{text[:40]!r} is not a platform ({', '.join(Platform.values)})",
                )
            return self.platforms[_norm(text)]
        if name == "ssh_port":
            if not text.isdigit() or not 1 <= int(text) <= 65535:
                raise _bad(
                    line,
                    column,
                    _("端口应为 1–65535 的整数，实为“%(v)s”。") % {"v": text[:20]},
                    f"the port must be an integer 1-65535, not {text[:20]!r}",
                )
            return int(text)
        if name in ("key_device", "internet_facing"):
            if _norm(text) in TRUE:
                return True
            if _norm(text) in FALSE:
                return False
            raise _bad(
                line,
                column,
                _("应填“是”或“否”，实为“%(v)s”。") % {"v": text[:20]},
                f"expected 是/否, not {text[:20]!r}",
            )
        if name == "owner":
            user = self.users.get(text.casefold())
            if user is not None:
                return user
            found = self.by_full_name.get(_norm(text), [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise _bad(
                    line,
                    column,
                    _("姓名“%(v)s”对应多个用户，请填写用户名。") % {"v": text[:40]},
                    f"the name {text[:40]!r} matches several users; give the user name",
                )
            raise _bad(
                line,
                column,
                _("没有用户名或姓名为“%(v)s”的在用用户。") % {"v": text[:40]},
                f"no active user with user name or full name {text[:40]!r}",
            )
        if name == "segment":
            if len(text) > Segment._meta.get_field("name").max_length:
                raise _bad(line, column, _("网段名称过长。"), "segment name too long")
            return self.segments.get(text) or text  # a str: a segment to create
        if name == "room":
            room = self.rooms.get(text)
            if room is None:
                raise _bad(
                    line,
                    column,
                    _("机房登记中没有“%(v)s”。") % {"v": text[:40]},
                    f"no machine room named {text[:40]!r} (facility)",
                )
            return room
        raise AssertionError(name)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def plan(*, upload, update_existing: bool = False) -> ImportResult:
    """What importing ``upload`` would do; refuses (ValidationError) at the first bad row."""
    table = read_table(upload, required=("设备名称",), known=tuple(COLUMNS), max_mb=MAX_MB)
    reader = _Reader()
    existing = {d.name: d for d in Device.objects.select_related("owner", "segment", "room")}
    result = ImportResult()
    seen: dict[str, int] = {}
    new_segments: dict[str, Segment] = {}
    count = 0
    for line, row in table.rows():
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(_("数据行超过 %(n)s 行。"), code="too_many_rows", params={"n": MAX_ROWS})
        name = row["设备名称"]
        if not name:
            raise _bad(line, "设备名称", _("设备名称为空。"), "the device name is empty")
        if name in seen:
            raise _bad(
                line,
                "设备名称",
                _("与第 %(n)s 行重名。") % {"n": seen[name]},
                f"the same name as line {seen[name]}",
            )
        seen[name] = line
        values = {}
        for column, text in row.items():
            if column != "设备名称" and text:
                values[COLUMNS[column]] = reader.value(line, column, text)
        reader.value(line, "设备名称", name)
        segment = values.get("segment")
        if isinstance(segment, str):
            values["segment"] = new_segments.setdefault(segment, Segment(name=segment))
        device = existing.get(name)
        if device is None:
            for column in ("设备类型", "系统平台"):
                if COLUMNS[column] not in values:
                    raise _bad(
                        line,
                        column,
                        _("新设备必须填写%(column)s。") % {"column": column},
                        "required for a new device",
                    )
            result.created.append(Device(name=name, **values))
            continue
        if not update_existing:
            raise _bad(
                line,
                "设备名称",
                _("设备“%(v)s”已在登记中；如需更新已有设备，请选择“更新已有设备”。") % {"v": name[:40]},
                f"device {name[:40]!r} is already registered (use --update-existing to update it)",
            )
        changes = []
        labels = {f: c for c, f in COLUMNS.items()}
        for field_name, new in values.items():
            old = getattr(device, field_name)
            if old != new or (isinstance(new, Segment) and new.pk is None):
                changes.append((labels[field_name], _shown(old), _shown(new)))
                setattr(device, field_name, new)
        if changes:
            result.changed.append(Change(device, changes))
        else:
            result.unchanged.append(device)
    if not count:
        raise ValidationError(_("文件中没有数据行。"), code="no_rows")
    result.new_segments = sorted(new_segments)
    return result


def import_inventory(*, upload, actor, update_existing: bool = False, dry_run: bool = False) -> ImportResult:
    """Checks ``upload`` and, unless ``dry_run``, writes it in one transaction with one
    audit event carrying the counts."""
    if not rules.may_keep(actor):
        raise PermissionDenied(_("网络设备登记由网络管理员维护。"))
    result = plan(upload=upload, update_existing=update_existing)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            segments = {}
            for name in result.new_segments:
                segments[name] = Segment.objects.create(name=name)
            for device in [*result.created, *(c.device for c in result.changed)]:
                if device.segment is not None and device.segment.pk is None:
                    device.segment = segments[device.segment.name]
                device.save()
            audit.record(
                action="network.inventory.imported",
                actor=actor,
                object_type="network.device",
                object_repr=getattr(upload, "name", "") or "",
                update_existing=update_existing,
                **result.counts(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("导入期间有设备被他人保存，未导入任何一行，请重试。"), code="conflict"
        ) from exc
    result.written = True
    return result
