"""The configuration audit (网络安全管理办法 二(六)、三、五(一)(二)、七): rules read every
pulled running configuration, per platform, and say whether it meets its clause with
the lines that prove it. ``ciscoconfparse2`` parses the indented syntax (IOS, and the
VRP/Comware ``#``-separated blocks read the same way); each rule is a small function.

A rule returns ``Finding(outcome, detail, lines)``: outcome ``pass``/``fail``/``na``
(not applicable, e.g. 2FA on a device that is not a key device); ``lines`` are the
configuration lines that prove it, masked (``configs.mask_line``) before they are stored
or shown, so a secret never leaves the backup. Details are English (stored); the rule
titles are shown translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ciscoconfparse2 import CiscoConfParse
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import configs

PASS, FAIL, NA = "pass", "fail", "na"
VRP = ("huawei_vrp", "hp_comware")
IOS = ("cisco_ios",)

# Passwords and SNMP communities that ship with devices or are guessed first (三(四)).
DEFAULT_SECRETS = frozenset(
    {
        "admin",
        "admin@123",
        "admin@huawei",
        "admin@huawei.com",
        "huawei",
        "huawei@123",
        "h3c",
        "h3capadmin",
        "cisco",
        "password",
        "123456",
        "12345678",
        "public",
        "private",
    }
)
_WEAK_COMMUNITIES = ("public", "private")


@dataclass(frozen=True)
class Finding:
    outcome: str
    detail: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parsed:
    """One configuration, parsed once for every rule."""

    platform: str
    text: str
    parse: CiscoConfParse
    key_device: bool = False
    lines: tuple[str, ...] = field(default=())

    def top(self, pattern: str) -> list:
        return self.parse.find_objects(pattern)

    def matching(self, pattern: str) -> list[str]:
        rx = re.compile(pattern, re.IGNORECASE)
        return [line.strip() for line in self.lines if rx.search(line)]


def parse(text: str, platform: str, *, key_device: bool = False) -> Parsed:
    lines = text.splitlines()
    delimiters = ["#"] if platform in VRP else ["!"]
    conf = CiscoConfParse(lines, syntax="ios", comment_delimiters=delimiters, loguru=False)
    return Parsed(platform, text, conf, key_device, tuple(lines))


def _block(obj) -> list[str]:
    return [obj.text.strip(), *(child.text.strip() for child in obj.children)]


def _vtys(p: Parsed) -> list:
    if p.platform in IOS:
        return p.top(r"^line\s+vty\b")
    return p.top(r"^(user-interface|line)\s+vty\b")


@dataclass(frozen=True)
class Rule:
    key: str
    clause: str
    title: object
    func: Callable[[Parsed], Finding]


RULES: list[Rule] = []


def rule(key: str, clause: str, title):
    def decorator(func):
        RULES.append(Rule(key, clause, title, func))
        return func

    return decorator


# --------------------------------------------------------------------------- 七(一)


@rule("ssh_only", "wlaq.7.1", _("远程登录仅用 SSH，Telnet 关闭"))
def ssh_only(p: Parsed) -> Finding:
    """网络安全管理办法 七(一): remote login only over SSH."""
    vtys = _vtys(p)
    bad: list[str] = []
    proof: list[str] = []
    if p.platform in IOS:
        if not vtys:
            return Finding(FAIL, "no line vty configured (IOS default accepts telnet)")
        for vty in vtys:
            transport = [c.text.strip() for c in vty.children if re.match(r"\s*transport input\b", c.text)]
            if transport != ["transport input ssh"]:
                bad += _block(vty) if not transport else [vty.text.strip(), *transport]
            else:
                proof += [vty.text.strip(), *transport]
        if bad:
            return Finding(FAIL, "a vty line accepts telnet (transport input is not ssh only)", tuple(bad))
        return Finding(PASS, "every vty line accepts ssh only", tuple(proof))
    telnet = p.matching(r"^\s*telnet server enable\b")
    ssh = p.matching(r"^\s*(stelnet server enable|ssh server enable)\b")
    for vty in vtys:
        protocol = [c.text.strip() for c in vty.children if re.match(r"\s*protocol inbound\b", c.text)]
        if any(not line.endswith(" ssh") for line in protocol):
            bad += [vty.text.strip(), *protocol]
        else:
            proof += [vty.text.strip(), *protocol]
    if telnet or bad:
        return Finding(FAIL, "telnet is enabled", tuple(telnet + bad))
    if not ssh:
        return Finding(FAIL, "the SSH server is not enabled", tuple(proof))
    return Finding(PASS, "SSH server enabled, telnet off", tuple(ssh + proof))


@rule("http_off", "wlaq.7.1", _("HTTP 明文管理关闭"))
def http_off(p: Parsed) -> Finding:
    """七(一) and 二(六): no management over plain HTTP."""
    if p.platform in IOS:
        on = p.matching(r"^ip http server\b")
        off = p.matching(r"^no ip http server\b")
        if on:
            return Finding(FAIL, "the HTTP server is enabled", tuple(on))
        if not off:
            return Finding(FAIL, "no 'no ip http server' (IOS enables it by default)")
        return Finding(PASS, "the HTTP server is off", tuple(off))
    on = p.matching(r"^\s*(http server enable|ip http enable)\b")
    if on:
        return Finding(FAIL, "the HTTP server is enabled", tuple(on))
    return Finding(PASS, "no HTTP server enabled", tuple(p.matching(r"^\s*undo (http server|ip http)")))


# --------------------------------------------------------------------------- 七(二)


@rule("mgmt_acl", "wlaq.7.2", _("远程登录限定来源地址（ACL）"))
def mgmt_acl(p: Parsed) -> Finding:
    """七(二): the hosts that may log in remotely are limited by an access list."""
    vtys = _vtys(p)
    if not vtys:
        return Finding(FAIL, "no vty lines configured")
    pattern = r"\s*access-class\s+\S+\s+in\b" if p.platform in IOS else r"\s*acl\s+(ipv6\s+)?\S+\s+inbound\b"
    global_acl = p.matching(r"^\s*ssh server acl\s+\S+") if p.platform in VRP else []
    bad, proof = [], list(global_acl)
    for vty in vtys:
        acl = [c.text.strip() for c in vty.children if re.match(pattern, c.text)]
        if acl:
            proof += [vty.text.strip(), *acl]
        elif not global_acl:
            bad.append(vty.text.strip())
    if bad:
        return Finding(FAIL, "vty lines without an inbound access list", tuple(bad))
    return Finding(PASS, "remote login limited by an access list", tuple(proof))


# --------------------------------------------------------------------------- 七(三)


@rule("aaa_2fa", "wlaq.7.3", _("关键设备登录经 AAA（TACACS+/RADIUS 双因子）认证"))
def aaa_2fa(p: Parsed) -> Finding:
    """七(三): key devices authenticate logins through AAA against a TACACS+/RADIUS server
    (where the second factor — a one-time password — is checked); the device cannot
    express the second factor itself, so the rule asks for the remote AAA."""
    if not p.key_device:
        return Finding(NA, "not a key device")
    if p.platform in IOS:
        new_model = p.matching(r"^aaa new-model\b")
        login = p.matching(r"^aaa authentication login \S+ .*group (tacacs\+|radius|\S+)")
        if new_model and login:
            return Finding(PASS, "AAA login against a TACACS+/RADIUS server", tuple(new_model + login))
        return Finding(FAIL, "no AAA login authentication against a TACACS+/RADIUS server", tuple(new_model))
    remote = p.matching(
        r"^\s*(authentication-mode\s+(hwtacacs|radius)|authentication (default|login) "
        r"(hwtacacs|radius)-scheme)"
    )
    vty_aaa = [
        c.text.strip()
        for vty in _vtys(p)
        for c in vty.children
        if re.match(r"\s*authentication-mode\s+(aaa|scheme)\b", c.text)
    ]
    if remote and vty_aaa and len(vty_aaa) >= len(_vtys(p)):
        return Finding(PASS, "vty logins authenticated by a remote AAA scheme", tuple(remote + vty_aaa))
    return Finding(FAIL, "no remote AAA (HWTACACS/RADIUS) authentication of vty logins", tuple(vty_aaa))


# --------------------------------------------------------------------------- 五(一)(二)


def _collector() -> str:
    return str(getattr(settings, "NETWORK_SYSLOG_COLLECTOR", "") or "").strip()


@rule("syslog_collector", "wlaq.5.1", _("日志发送到日志服务器"))
def syslog_collector(p: Parsed) -> Finding:
    """五(一): the device sends its log to the center's syslog collector
    (``NETWORK_SYSLOG_COLLECTOR``)."""
    if p.platform in IOS:
        hosts = p.matching(r"^logging (host )?\d[\d.]*\b|^logging host \S+")
        disabled = p.matching(r"^no logging on\b")
    else:
        hosts = p.matching(r"^\s*info-center loghost \S+")
        disabled = p.matching(r"^\s*undo info-center enable\b")
    if disabled:
        return Finding(FAIL, "logging is disabled", tuple(disabled))
    collector = _collector()
    if not collector:
        if hosts:
            return Finding(PASS, "logs sent to a log host (NETWORK_SYSLOG_COLLECTOR not set)", tuple(hosts))
        return Finding(FAIL, "no log host configured")
    to_collector = [h for h in hosts if re.search(rf"(^|\s){re.escape(collector)}(\s|$)", h)]
    if not to_collector:
        return Finding(FAIL, f"logs are not sent to the collector {collector}", tuple(hosts))
    return Finding(PASS, f"logs sent to the collector {collector}", tuple(to_collector))


@rule("command_log", "wlaq.5.2", _("记录登录用户与命令操作"))
def command_log(p: Parsed) -> Finding:
    """五(二): the log records who logged in and the commands they ran. IOS: the
    configuration change logger (``archive / log config / logging enable``) or AAA
    command accounting. VRP/Comware record commands in the information centre by
    default; they fail when it is disabled or the log host drops informational events."""
    if p.platform in IOS:
        accounting = p.matching(r"^aaa accounting commands \d+ ")
        logger = []
        for archive in p.top(r"^archive\b"):
            for child in archive.children:
                if re.match(r"\s*log config\b", child.text) and any(
                    re.match(r"\s*logging enable\b", g.text) for g in child.children
                ):
                    logger = [archive.text.strip(), child.text.strip(), "logging enable"]
        logins = p.matching(r"^login on-(success|failure) log\b")
        if (accounting or logger) and logins:
            return Finding(PASS, "commands and logins are logged", tuple(accounting + logger + logins))
        if not (accounting or logger):
            return Finding(FAIL, "commands are not logged (no archive log config nor command accounting)")
        return Finding(FAIL, "logins are not logged (login on-success/on-failure log)", tuple(logger))
    disabled = p.matching(r"^\s*undo info-center enable\b")
    raised = p.matching(
        r"^\s*info-center (loghost \S+.*level|source default channel \S+ log level) "
        r"(emergencies|alert|alerts|critical|error|errors|warning|warnings|notification|notifications)\b"
    )
    if disabled or raised:
        return Finding(
            FAIL,
            "the information centre does not keep informational (command) events",
            tuple(disabled + raised),
        )
    return Finding(
        PASS, "the information centre records logins and commands", tuple(p.matching(r"^\s*info-center "))
    )


# --------------------------------------------------------------------------- 三(四)


def _secret_value(line: str) -> str | None:
    m = re.search(r"\b(password|secret)\s+(simple|0|plain)\s+(\S+)", line, re.IGNORECASE)
    if m:
        return m.group(3)
    m = re.search(r"\b(password|secret)\s+(\S+)\s*$", line, re.IGNORECASE)
    if m and m.group(2).lower() not in {"cipher", "hash", "irreversible-cipher", "5", "7", "8", "9"}:
        return m.group(2)
    return None


@rule("no_plain_passwords", "wlaq.3.4", _("无明文或默认口令"))
def no_plain_passwords(p: Parsed) -> Finding:
    """三(四): passwords are stored hashed, never in clear text or a reversible type 7,
    and never a default password."""
    if p.platform in IOS:
        candidates = p.matching(r"^\s*(enable password\b|username \S+ .*password\b|password\s)")
        weak = [line for line in candidates if not re.search(r"\bpassword\s+[58]\b", line)]
        weak += [line for line in p.matching(r"\bsecret\s+(0|7)\s") if line not in weak]
    else:
        weak = p.matching(r"\bpassword\s+simple\b|\bpassword\s+plain\b|\bsuper password\b(?!.*cipher|.*hash)")
    defaults = [
        line
        for line in p.matching(r"\b(password|secret)\b")
        if (_secret_value(line) or "").lower() in DEFAULT_SECRETS
    ]
    bad = list(dict.fromkeys(weak + defaults))
    if bad:
        detail = "a default password" if defaults else "a password in clear text or a reversible form"
        return Finding(FAIL, detail, tuple(configs.mask_line(line) for line in bad))
    return Finding(PASS, "passwords are stored hashed")


@rule("snmp_community", "wlaq.3.4", _("SNMP 团体名非 public/private"))
def snmp_community(p: Parsed) -> Finding:
    """三(四) and 二(六): no SNMP community named public or private."""
    lines = p.matching(r"^\s*(snmp-server community|snmp-agent community)\b")
    bad = []
    for line in lines:
        words = line.split()
        # snmp-server community NAME … / snmp-agent community read|write [simple] NAME …
        rest = [w for w in words[2:] if w.lower() not in {"read", "write", "simple"}]
        if rest and rest[0].lower() in _WEAK_COMMUNITIES:
            bad.append(line)
    if bad:
        # The community is a secret: shown by its rule, never by its value.
        return Finding(
            FAIL, "an SNMP community is public or private", tuple(configs.mask_line(b) for b in bad)
        )
    return Finding(PASS, "no default SNMP community", tuple(configs.mask_line(line) for line in lines))


# --------------------------------------------------------------------------- 二(六)

_UNUSED_SERVICES = {
    "cisco_ios": (
        r"^service (tcp|udp)-small-servers\b",
        r"^(ip|service) finger\b",
        r"^ip identd\b",
        r"^service pad\b",
        r"^ip bootp server\b",
        r"^ip source-route\b",
        r"^ip ftp server\b|^ftp-server enable\b",
        r"^tftp-server\b",
    ),
    "huawei_vrp": (
        r"^\s*ftp (ipv6 )?server enable\b",
        r"^\s*tftp-server\b",
        r"^\s*telnet ipv6 server enable",
    ),
    "hp_comware": (r"^\s*ftp server enable\b", r"^\s*tftp-server\b", r"^\s*telnet server ipv6 enable"),
}


@rule("unused_services", "wlaq.2.6", _("关闭不用的服务（最小服务原则）"))
def unused_services(p: Parsed) -> Finding:
    """二(六): 按照最小服务原则 — small servers, finger, FTP/TFTP servers, PAD, source
    routing and BOOTP service are off."""
    on = [line for pattern in _UNUSED_SERVICES.get(p.platform, ()) for line in p.matching(pattern)]
    if on:
        return Finding(FAIL, "services that are not needed are enabled", tuple(on))
    return Finding(PASS, "no unneeded service enabled")


def run(text: str, platform: str, *, key_device: bool = False) -> list[tuple[Rule, Finding]]:
    """Every rule on one configuration; ``[]`` for a platform the audit does not read."""
    if platform not in (*VRP, *IOS):
        return []
    parsed = parse(text, platform, key_device=key_device)
    out = []
    for r in RULES:
        finding = r.func(parsed)
        lines = tuple(configs.mask_line(line)[:300] for line in finding.lines[:20])
        out.append((r, Finding(finding.outcome, finding.detail, lines)))
    return out


def rule_titles() -> dict[str, object]:
    return {r.key: r.title for r in RULES}
