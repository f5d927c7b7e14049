"""Scanner reports read into observations: Greenbone/OpenVAS XML and a documented CSV
for any other scanner (nmap's XML is ``nmap.parse``). Every reader refuses a bad file
whole, with the reason; none returns half a report.

An observation is one weakness on one host: (address, port, protocol, vuln_id) is its
identity across scans (``Finding``)."""

from __future__ import annotations

import codecs
import csv
import ipaddress
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Severity
from .scope import address_in

CSV_COLUMNS = ("host", "port", "protocol", "vuln_id", "title", "severity", "cvss", "detail")
SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "严重": Severity.CRITICAL,
    "high": Severity.HIGH,
    "高": Severity.HIGH,
    "高危": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "中": Severity.MEDIUM,
    "中危": Severity.MEDIUM,
    "low": Severity.LOW,
    "低": Severity.LOW,
    "低危": Severity.LOW,
    "log": Severity.INFO,
    "info": Severity.INFO,
    "信息": Severity.INFO,
}


@dataclass(frozen=True)
class Observation:
    address: str
    port: int
    protocol: str
    vuln_id: str
    title: str
    severity: str
    cvss: Decimal | None = None
    detail: str = ""
    hostname: str = ""


def severity_of_cvss(score: Decimal) -> str:
    """CVSS v3 qualitative ratings (FIRST): 9.0+ critical, 7.0+ high, 4.0+ medium, >0 low."""
    if score >= 9:
        return Severity.CRITICAL
    if score >= 7:
        return Severity.HIGH
    if score >= 4:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


def _cvss(text: str, where: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = Decimal(-1)
    if not Decimal(0) <= score <= Decimal(10):
        raise ValidationError(
            _("%(where)s：CVSS 分值应为 0–10，实为 “%(value)s”。") % {"where": where, "value": text[:20]}
        )
    return score.quantize(Decimal("0.1"))


def _address(text: str, where: str) -> str:
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        raise ValidationError(
            _("%(where)s：主机应为 IP 地址，实为 “%(value)s”。")
            % {"where": where, "value": (text or "")[:60]}
        ) from None


def _port(text: str) -> tuple[int, str]:
    """'443/tcp' → (443, 'tcp'); 'general/tcp' → (0, 'tcp'): the host itself."""
    number, _sep, protocol = (text or "").strip().partition("/")
    return (int(number) if number.isdigit() and 0 < int(number) <= 65535 else 0), protocol[:10] or "tcp"


def parse_openvas(path: Path) -> list[Observation]:
    """A Greenbone/OpenVAS report (the GMP XML report format): each <result> with a
    host, port, NVT (oid, name), severity and description; Log-level results included
    as information."""
    try:
        root = safe_parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise ValidationError(_("扫描结果文件含有不允许的 XML 结构（实体或外部引用），已拒绝。")) from exc
    except Exception as exc:
        raise ValidationError(_("扫描结果文件不是有效的 XML：%(error)s") % {"error": str(exc)[:200]}) from exc
    if root.tag != "report":
        raise ValidationError(_("这不是 Greenbone/OpenVAS 的 XML 报告（根元素应为 report）。"))
    out = []
    for index, result in enumerate(root.iter("result"), start=1):
        where = _("第 %(n)s 条结果") % {"n": index}
        host = result.find("host")
        nvt = result.find("nvt")
        if host is None or nvt is None:
            continue  # a result without a host or test is a notice, not a finding
        hostname = host.findtext("hostname", "")
        port, protocol = _port(result.findtext("port", ""))
        score = _cvss(result.findtext("severity", "") or nvt.findtext("cvss_base", ""), where)
        threat = (result.findtext("threat", "") or "").strip().lower()
        severity = severity_of_cvss(score) if score is not None else SEVERITY_WORDS.get(threat, Severity.INFO)
        out.append(
            Observation(
                address=_address((host.text or "").strip(), where),
                port=port,
                protocol=protocol,
                vuln_id=f"openvas:{nvt.get('oid', '')[:150] or 'unknown'}",
                title=(nvt.findtext("name", "") or result.findtext("name", "") or _("未命名"))[:300],
                severity=severity,
                cvss=score,
                detail=(result.findtext("description", "") or "")[:5000],
                hostname=(hostname or "")[:255],
            )
        )
    return out


def parse_csv(path: Path) -> list[Observation]:
    """The generic CSV (UTF-8, BOM allowed, header row with the columns of CSV_COLUMNS;
    ``host``, ``vuln_id``, ``title`` and ``severity`` required)."""
    with path.open("rb") as raw:
        try:
            text = codecs.decode(raw.read(), "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("CSV 文件应为 UTF-8 编码。")) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("host", "vuln_id", "title", "severity") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("CSV 缺少列：%(cols)s（列为 %(all)s）。")
            % {"cols": "、".join(missing), "all": ", ".join(CSV_COLUMNS)}
        )
    out = []
    for line, row in enumerate(reader, start=2):
        where = _("第 %(n)s 行") % {"n": line}
        severity = SEVERITY_WORDS.get((row.get("severity") or "").strip().lower())
        if severity is None:
            raise ValidationError(
                _("%(where)s：等级应为 critical/high/medium/low/info，实为 “%(value)s”。")
                % {"where": where, "value": (row.get("severity") or "")[:20]}
            )
        vuln_id, title = (row.get("vuln_id") or "").strip(), (row.get("title") or "").strip()
        if not vuln_id or not title:
            raise ValidationError(_("%(where)s：漏洞标识和名称不能为空。") % {"where": where})
        port_text = (row.get("port") or "").strip()
        if port_text and not (port_text.isdigit() and 0 <= int(port_text) <= 65535):
            raise ValidationError(_("%(where)s：端口应为 0–65535。") % {"where": where})
        out.append(
            Observation(
                address=_address(row.get("host") or "", where),
                port=int(port_text or 0),
                protocol=(row.get("protocol") or "tcp").strip()[:10] or "tcp",
                vuln_id=f"csv:{vuln_id[:190]}",
                title=title[:300],
                severity=severity,
                cvss=_cvss(row.get("cvss") or "", where),
                detail=(row.get("detail") or "")[:5000],
            )
        )
    return out


def parse_lynis(path: Path, networks) -> list[Observation]:
    """A lynis report file (``lynis audit system --report-file``): its warnings (中危)
    and suggestions (低危) as baseline findings of the host, which is the report's first
    address inside the plan's scope (lynis lists every address of the machine)."""
    values: dict[str, list[str]] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("lynis 报告第 %(n)s 行不是 UTF-8 文本。") % {"n": number}) from exc
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _sep, value = line.partition("=")
            values.setdefault(key.removesuffix("[]"), []).append(value)
    if "lynis_version" not in values:
        raise ValidationError(_("这不是 lynis 的报告文件（缺少 lynis_version）。"))
    addresses = [*values.get("network_ipv4_address", []), *values.get("network_ipv6_address", [])]
    inside = [a for a in addresses if address_in(a, networks)]
    if not inside:
        raise ValidationError(
            _("lynis 报告中的主机地址（%(items)s）都不在方案的扫描范围内，未导入。")
            % {"items": "、".join(addresses[:5]) or _("无")}
        )
    hostname = (values.get("hostname") or [""])[0][:255]
    out = []
    for key, severity in (("warning", Severity.MEDIUM), ("suggestion", Severity.LOW)):
        for entry in values.get(key, []):
            test_id, _sep, rest = entry.partition("|")
            text, _sep, detail = rest.partition("|")
            if not test_id or test_id == "LYNIS":  # lynis's note about its own version
                continue
            out.append(
                Observation(
                    address=inside[0],
                    port=0,
                    protocol="",
                    vuln_id=f"lynis:{test_id[:100]}",
                    title=(text or test_id)[:300],
                    severity=severity,
                    detail=detail.replace("|", " ").strip(" -")[:5000],
                    hostname=hostname,
                )
            )
    return out
