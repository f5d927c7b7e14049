"""Parsing the regulation text (data/regulations.txt) into numbered provisions.

Used once by scripts/compliance_catalogue.py to generate data/clauses.json and,
afterwards, by the catalogue test: every numbered provision (第X条, 一、, (一),
1., 附表 rows) the text contains must be a row of the catalogue, with the same
text. The catalogue file stays the source of truth; this only keeps it honest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REGULATION_TEXT = Path(__file__).parent / "data" / "regulations.txt"

# (key, title line as it stands in the text, the name people cite it by)
REGULATIONS: tuple[tuple[str, str, str], ...] = (
    ("wlaq", "网络安全管理办法", "网络安全管理办法"),
    ("wzgl", "中心网站管理制度", "网站管理制度"),
    ("jf", "网络机房管理制度", "网络机房管理制度"),
    ("jk", "监控管理制度", "监控管理制度"),
    ("mm", "密码、口令管理制度", "密码、口令管理制度"),
    ("sb", "网络设备管理制度", "网络设备管理制度"),
    ("xxfb", "网站政务信息发布的管理规定", "网站政务信息发布的管理规定"),
    ("wh", "网络与系统安全维护管理制度", "网络与系统安全维护管理制度"),
    ("yjya", "网络信息安全故障应急预案", "应急预案"),
    ("wb", "技术服务外包、维护管理制度", "技术服务外包、维护管理制度"),
    ("lz", "人员离岗离职信息安全管理规定", "人员离岗离职信息安全管理规定"),
)
# 网站政务信息发布的管理规定 has three parts, each cited by its own name.
XXFB_PARTS = {1: "信息发布管理制度", 2: "信息发布审核制度", 3: "信息传递制度"}
# 网络机房管理制度 四 groups its items under four unnumbered headings.
JF_GROUPS = {"季度维护": "q", "换季维护": "s", "针对重大任务的设备维护": "t", "定期大中修维护": "o"}

NUMERALS = "一二三四五六七八九十"
CN = f"[{NUMERALS}]+"
ARTICLE = re.compile(rf"^第({CN})条\s*(.*)$")
CHAPTER = re.compile(rf"^第({CN})章\s*(.*)$")
SECTION = re.compile(rf"^({CN})、\s*(.*)$")
ITEM = re.compile(rf"^[(（]({CN})[)）]\s*(.*)$")
POINT = re.compile(r"^(\d+)\.\s+(.*)$")
# Every line that starts with a number marker (for the completeness count).
ANY_MARKER = re.compile(rf"^(?:- )?(?:第{CN}条|{CN}、|[(（]{CN}[)）]|\d+\.\s)")
TABLE_ROW = re.compile(r"^\s*(\d+)\.\s*(\d+)?\s+(?=\D)")
SUB_ROW = re.compile(r"^(\d+)\.\s*(\d+)\s*(.+)$")
CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")
SENTENCE_END = ("。", "：", "；", "！", "？", "”", ":", ";")


def cn_int(text: str) -> int:
    """一 → 1, 十 → 10, 十四 → 14, 二十二 → 22."""
    if "十" not in text:
        return NUMERALS.index(text) + 1
    tens, _, units = text.partition("十")
    return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(units) + 1 if units else 0)


@dataclass
class Provision:
    key: str
    regulation: str
    citation: str
    heading: str
    text: str = ""
    order: int = 0
    has_children: bool = False
    parts: list[str] = field(default_factory=list, repr=False)

    def add(self, line: str, *, after_blank: bool) -> None:
        if self.parts and after_blank and self.parts[-1].endswith(SENTENCE_END):
            self.parts.append("\n" + line)
        else:
            self.parts.append(line)
        self.text = "".join(self.parts).strip()


def normalise(text: str) -> str:
    """Whitespace-insensitive form for comparing verbatim texts."""
    return re.sub(r"\s+", "", text)


def split_regulations(text: str) -> dict[str, list[str]]:
    lines = text.splitlines()
    starts = []
    position = 0
    for key, title, _ in REGULATIONS:
        index = lines.index(title, position)
        starts.append((key, index))
        position = index + 1
    chunks = {}
    for n, (key, index) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(lines)
        chunks[key] = lines[index + 1 : end]
    return chunks


def _is_title(rest: str) -> bool:
    """``一、职责`` is a heading; ``一、监控室由交易监督科负责管理…。`` is a provision."""
    return len(rest) <= 20 and not rest.endswith(SENTENCE_END)


class _Builder:
    def __init__(self, regulation: str, cite: str):
        self.regulation = regulation
        self.cite = cite
        self.provisions: list[Provision] = []
        self.markers = 0
        self.current: Provision | None = None

    def open(self, key: str, citation: str, heading: str, text: str, parent: Provision | None) -> Provision:
        self.markers += 1
        if parent is not None:
            parent.has_children = True
        provision = Provision(key, self.regulation, citation, heading, order=len(self.provisions))
        if text:
            provision.add(text, after_blank=False)
        self.provisions.append(provision)
        self.current = provision
        return provision

    def continue_(self, line: str, after_blank: bool) -> None:
        if self.current is not None:
            self.current.add(line, after_blank=after_blank)

    def result(self) -> list[Provision]:
        # A heading with children and no text of its own is structure, not a provision.
        return [p for p in self.provisions if p.text or not p.has_children]


def _parse_sections(key: str, cite: str, lines: list[str]) -> tuple[list[Provision], int]:
    """一、 / (一) / 1. regulations (网络安全管理办法, 机房, 监控, 密码, 维护, 外包, 信息发布)."""
    b = _Builder(key, cite)
    section = item = None
    sec_no = item_no = 0
    group = ""
    blank = False
    for raw in lines:
        line = raw.strip()
        if line.startswith("- "):
            line = line[2:].strip()
        if not line:
            blank = True
            continue
        after_blank, blank = blank, False
        if key == "jf" and line in JF_GROUPS:
            group = line
            continue
        if m := SECTION.match(line):
            sec_no, rest = cn_int(m.group(1)), m.group(2).strip()
            group = ""
            title = _is_title(rest)
            citation = f"{b.cite} {m.group(1)}" if key == "xxfb" else f"{cite} {m.group(1)}"
            section = b.open(f"{key}.{sec_no}", citation, rest if title else "", "" if title else rest, None)
            item = None
            if key == "wb" and (inline := re.split(r"(\d)\.\s*", rest)) and len(inline) > 1:
                # 外包 二 lists its three factors inline: "…因素：1. …2. …3. …"
                section.parts, section.text = [inline[0]], inline[0]
                for n in range(1, len(inline), 2):
                    b.open(
                        f"{key}.{sec_no}.{inline[n]}",
                        f"{cite} {m.group(1)} {inline[n]}",
                        "",
                        inline[n + 1].strip(),
                        section,
                    )
                b.current = section
            continue
        if (m := ITEM.match(line)) and section is not None:
            item_no = cn_int(m.group(1))
            if key == "xxfb":
                prefix, base = XXFB_PARTS[sec_no], f"{key}.{sec_no}"
            elif group:
                prefix, base = f"{cite} {_cn(sec_no)} {group}", f"{key}.{sec_no}.{JF_GROUPS[group]}"
            else:
                prefix, base = f"{cite} {_cn(sec_no)}", f"{key}.{sec_no}"
            item = b.open(
                f"{base}.{item_no}",
                f"{prefix}({m.group(1)})" if key != "xxfb" else f"{prefix} ({m.group(1)})",
                section.heading,
                m.group(2).strip(),
                section,
            )
            continue
        if (m := POINT.match(line)) and item is not None:
            b.open(
                f"{item.key}.{m.group(1)}",
                f"{item.citation} {m.group(1)}",
                section.heading,
                m.group(2).strip(),
                item,
            )
            continue
        b.continue_(line, after_blank)
    return b.result(), b.markers


def _cn(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[units - 1] if units else "")


def _parse_articles(key: str, cite: str, lines: list[str]) -> tuple[list[Provision], int]:
    """第X条 / (一) regulations (网站管理制度, 网络设备, 应急预案, 离岗离职), and 附表 rows."""
    b = _Builder(key, cite)
    article = None
    chapter = ""
    blank = False
    in_table = False
    for raw in lines:
        if in_table:
            _table_line(b, raw)
            continue
        line = raw.strip()
        if line.startswith("- "):
            line = line[2:].strip()
        if not line:
            blank = True
            continue
        after_blank, blank = blank, False
        if line == "附表":
            in_table = True
            b.current = None
            continue
        if m := CHAPTER.match(line):
            chapter = re.sub(r"\s+", "", m.group(2))
            b.current = None
            continue
        if m := ARTICLE.match(line):
            no, rest = cn_int(m.group(1)), m.group(2).strip()
            heading = chapter
            if _is_title(rest) and key == "yjya":
                heading, rest = rest, ""
            article = b.open(f"{key}.{no}", f"{cite} 第{m.group(1)}条", heading, rest, None)
            continue
        if (m := ITEM.match(line)) and article is not None:
            b.open(
                f"{article.key}.{cn_int(m.group(1))}",
                f"{article.citation} ({m.group(1)})",
                article.heading,
                m.group(2).strip(),
                article,
            )
            continue
        b.continue_(line, after_blank)
    return b.result(), b.markers


def _table_line(b: _Builder, raw: str) -> None:
    """附表《网站栏目信息发布分类》: one provision per numbered row (1. 政务公开, 3.4 行业信息)."""
    if not raw.strip() or raw.strip() == "网站栏目信息发布分类" or raw.startswith("一级栏目"):
        return
    cells = [CJK_GAP.sub("", cell.strip()) for cell in raw.split("\t")]
    cells = [cell for cell in cells if cell]
    if m := TABLE_ROW.match(raw):
        number = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        first = CJK_GAP.sub("", raw[m.end() :].split("\t")[0].strip())
        b.open(
            f"{b.regulation}.fb.{number}",
            f"{b.cite} 附表 {number} {first}",
            "网站栏目信息发布分类",
            "",
            None,
        )
        cells = [CJK_GAP.sub("", c.strip()) for c in raw[m.end() :].split("\t")]
        cells = [c for c in cells if c]
        if len(cells) > 1 and (sub := SUB_ROW.match(cells[1])):
            # "3. 中心动态  3. 1 专题信息  …": the first second-level row shares the line.
            b.current.parts.append(cells[0])
            b.current.text = cells[0]
            number = f"{sub.group(1)}.{sub.group(2)}"
            b.open(
                f"{b.regulation}.fb.{number}",
                f"{b.cite} 附表 {number} {sub.group(3)}",
                "网站栏目信息发布分类",
                "",
                b.current,
            )
            cells = [sub.group(3), *cells[2:]]
    if b.current is not None and cells:
        b.current.parts.append((" | " if b.current.parts else "") + " | ".join(cells))
        b.current.text = "".join(b.current.parts).strip()


def parse(text: str | None = None) -> tuple[list[Provision], int]:
    """All provisions of the 11 regulations, and how many number markers were read."""
    if text is None:
        text = REGULATION_TEXT.read_text(encoding="utf-8")
    chunks = split_regulations(text)
    provisions: list[Provision] = []
    markers = 0
    for key, _title, cite in REGULATIONS:
        parser = _parse_articles if key in {"wzgl", "sb", "yjya", "lz"} else _parse_sections
        found, count = parser(key, cite, chunks[key])
        provisions.extend(found)
        markers += count
    return provisions, markers


def count_marker_lines(text: str | None = None) -> int:
    """An independent count: every line of the regulations that starts with a number."""
    if text is None:
        text = REGULATION_TEXT.read_text(encoding="utf-8")
    chunks = split_regulations(text)
    total = 0
    for key, lines in chunks.items():
        table = False
        for raw in lines:
            if raw.strip() == "附表":
                table = True
            if table:
                if m := TABLE_ROW.match(raw):
                    total += 1 + len(re.findall(r"\t\s*\d+\.\s*\d+\s", raw[m.end() :]))
            else:
                line = raw.strip()
                total += bool(ANY_MARKER.match(line))
                if key == "wb":
                    total += len(re.findall(r"(?<=[：。])\s*\d\.\s*", line))
    return total
