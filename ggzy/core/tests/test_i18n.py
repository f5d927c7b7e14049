"""Every user-facing Chinese string in ggzy's Python code and templates goes
through gettext.

The test reads the source (ast) of every non-test module under ggzy/ and
fails on a string literal holding Chinese that is neither a docstring, nor
inside a gettext call, nor a logging call, nor one of the exceptions below
(each with its reason). Comments are not literals, so clause citations in
comments never count.

Templates (ggzy/*/templates) are read as text: with the comments, the
``{% translate %}`` tags, the ``{% blocktranslate %}`` blocks and the
``_("…")`` literals inside tags taken out, no Chinese may remain, apart from
the exempt templates below (each with its reason).
"""

import ast
import re
from pathlib import Path

import ggzy

ROOT = Path(ggzy.__file__).parent
CHINESE = re.compile(r"[\u4e00-\u9fff]")
GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
LOGGING_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}

# Whole files whose Chinese literals are not user-facing messages.
EXEMPT_FILES = {
    "audit/verify.py": "the result lines of the audit_verify command (CLI output for operators)",
    "screening/extract.py": (
        "DocumentError carries an English message (CLI, logs) and a Chinese message_zh side by "
        "side; moving message_zh to gettext is a redesign of that class, not a wrapping"
    ),
    "screening/rules.py": "regular expressions that match Chinese text inside screened documents",
    "devicelogs/rules.py": "regular expressions that match the Chinese wording of device log messages",
    "screening/bench.py": "the sample document text the screening benchmark screens",
    "ingest/convert.py": "reproduces Excel's own Chinese date display (年/月/日) of a cell's value",
    "portal/layout_css.py": "a comment inside the generated portal/static/portal/layout.css, never shown",
    "search/documents.py": "text written into the search index, which must not vary with the language",
    "core/calendar.py": "holiday names stored in the calendar table, keyed by the upstream English name",
    "accounts/events.py": "the redaction marker written into stored audit data",
    "compliance/regulation_text.py": (
        "parses the regulation text: the Chinese numerals and headings (第X条, 一、, 附表) it matches"
    ),
}
# Literals (by pattern), by file, that are not user-facing messages.
EXEMPT_LITERALS = {
    "portal/choices.py": {
        r"^(宋体|黑体|仿宋|楷体|微软雅黑|二号|小二|三号|小三|4号|小四|五号)$": (
            "font and size choices are stored by their Chinese name (the label is translated)"
        ),
        r'^"[^"]+", ".*(serif|sans-serif)$': "CSS font stacks name the fonts as the operating systems do",
    },
    "screening/services.py": {
        r"^(词语|违禁词|敏感词)$": "header cells of an imported word list, matched and skipped, never shown",
    },
    "compliance/services.py": {
        r"^(是|否)$": "answers a user may type for a yes/no checklist item, matched, never shown",
    },
    "core/tabular.py": {
        r"^(是|否)$": "an Excel true/false cell read as the text the importers match, never shown",
    },
    "network/importing.py": {
        (
            r"^(设备名称|设备类型|厂商|型号|序列号|系统平台|管理地址|SSH端口|直接责任人|关键设备"
            r"|面向互联网|网段|机房|机柜/位置|软件版本|目标版本)$"
        ): ("the Chinese column headers of the device inventory file format, matched against the file"),
        r"^(是|否|华为|华三|思科)$": "values a user may type in the file, matched, never shown",
        r"^expected 是/否, not ": "the English refusal of network_import quotes the accepted values",
    },
    "notices/selectors.py": {
        r"^开标地点": "the label a notice's approved text puts before its place, matched, never shown",
    },
    "vulns/reports_in.py": {
        r"^(严重|高|高危|中|中危|低|低危|信息)$": "severity words a scanner's CSV carries, never shown",
    },
    "publishing/reports.py": {
        r"^行业信息$": "the stored title of the industry column, a lookup value (column_title=)",
    },
    "portal/checks.py": {
        r"^(重要通知|政策法规|国家级|省级|市级)$": "stored column titles: lookup values of a check",
        r"^(事项名称|设定依据|办理依据|法律依据|申请条件|受理条件|办理条件|办理材料|申请材料"
        r"|所需材料|提交材料|办理地点|受理地点|办公地点|办理时间|受理时间|办公时间|联系电话"
        r"|咨询电话|办理流程|办事流程|业务流程)$": (
            "words matched in a 办事指南's text (guides_complete); the element names shown go through gettext"
        ),
    },
    "sitebuild/uptime.py": {
        r"^公告$": "the search term the uptime probe sends to the public search, never shown",
    },
}
# notices/api.py: the OpenAPI schema (title, description, summaries, field
# descriptions) is read once at import by django-ninja and pydantic, which need
# plain str; it documents the API for the trading system's developers.
OPENAPI_KEYWORDS = {"title", "description", "summary"}


def _skipped(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "migrations" in parts
        # Command help and output are for operators at a terminal (Django's own
        # commands do not translate theirs either).
        or "management" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def untranslated(path: Path) -> list[str]:
    """``file:line: text`` of each Chinese literal of the file outside gettext."""
    rel = path.relative_to(ROOT).as_posix()
    if EXEMPT_FILES.get(rel):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = _docstrings(tree)
    literals = EXEMPT_LITERALS.get(rel, {})
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not CHINESE.search(node.value) or node in docstrings:
            continue
        if any(re.search(pattern, node.value) for pattern in literals):
            continue
        child, exempt = node, False
        while child in parents and not exempt:
            parent = parents[child]
            if isinstance(parent, ast.Call):
                name = _call_name(parent)
                exempt = name in GETTEXT_CALLS or (name in LOGGING_CALLS and child in parent.args)
            elif isinstance(parent, ast.keyword) and rel == "notices/api.py":
                exempt = parent.arg in OPENAPI_KEYWORDS
            child = parent
        if not exempt:
            found.append(f"{rel}:{node.lineno}: {node.value[:40]!r}")
    return found


def test_chinese_literals_are_translated():
    offenders = [
        line for path in sorted(ROOT.rglob("*.py")) if not _skipped(path) for line in untranslated(path)
    ]
    assert not offenders, "Chinese text outside gettext:\n" + "\n".join(offenders)


def test_the_check_sees_an_untranslated_literal(tmp_path, monkeypatch):
    # The check itself can fail: a module with a bare message, an f-string and a
    # translated message reports the first two only.
    module = tmp_path / "ggzy_fake" / "views.py"
    module.parent.mkdir()
    module.write_text(
        '"""模块说明。"""\n'
        "from django.utils.translation import gettext as _\n"
        'A = "未翻译"\n'
        'B = _("已翻译")\n'
        "def f(n):\n"
        '    return f"共{n}条"\n'
    )
    monkeypatch.setattr("ggzy.core.tests.test_i18n.ROOT", tmp_path)
    assert untranslated(module) == [
        "ggzy_fake/views.py:3: '未翻译'",
        "ggzy_fake/views.py:6: '共'",
        "ggzy_fake/views.py:6: '条'",
    ]


def test_every_exemption_names_an_existing_file():
    for rel in [*EXEMPT_FILES, *EXEMPT_LITERALS]:
        assert (ROOT / rel).is_file(), rel


# Templates (paths below ggzy/, or folders ending in "/") whose Chinese is not
# (yet) marked for translation.
EXEMPT_TEMPLATES: dict[str, str] = {}
# Taken out before looking for Chinese, keeping the line numbers: comments,
# translated text, and then the translated literals inside the remaining tags.
TEMPLATE_TRANSLATED = re.compile(
    r"\{#.*?#\}"
    r"|(?s:\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\})"
    r"|(?s:\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\})"
    r"|(?s:\{%\s*trans(?:late)?\s.*?%\})"
)
TEMPLATE_TAG = re.compile(r"(?s:\{%.*?%\}|\{\{.*?\}\})")
TRANSLATED_LITERAL = re.compile(r"""\b_\((?:"[^"]*"|'[^']*')\)""")


def _blank(match: re.Match) -> str:
    return "\n" * match.group().count("\n")


def untranslated_template(path: Path) -> list[str]:
    """``file:line: text`` of each template line with Chinese outside translation."""
    rel = path.relative_to(ROOT).as_posix()
    if any(rel == exempt or (exempt.endswith("/") and rel.startswith(exempt)) for exempt in EXEMPT_TEMPLATES):
        return []
    text = TEMPLATE_TRANSLATED.sub(_blank, path.read_text(encoding="utf-8"))
    text = TEMPLATE_TAG.sub(lambda tag: TRANSLATED_LITERAL.sub('""', tag.group()), text)
    return [
        f"{rel}:{number}: {line.strip()[:60]}"
        for number, line in enumerate(text.splitlines(), start=1)
        if CHINESE.search(line)
    ]


def test_chinese_in_templates_is_translated():
    offenders = [
        line
        for path in sorted(ROOT.glob("*/templates/**/*"))
        if path.is_file()
        for line in untranslated_template(path)
    ]
    assert not offenders, "Chinese text in templates outside translation:\n" + "\n".join(offenders)


def test_the_template_check_sees_untranslated_text(tmp_path, monkeypatch):
    # The check itself can fail: bare text, an attribute and a tag's literal are
    # reported; comments, translate tags, blocktranslate blocks and _("…") are not.
    template = tmp_path / "fake" / "templates" / "fake" / "page.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        "{% load i18n %}{# 注释 #}\n"
        '<h1>{% translate "标题" %}</h1>\n'
        "<p>未翻译</p>\n"
        "{% blocktranslate trimmed with n=page.count %}\n"
        "  共 {{ n }} 条\n"
        "{% endblocktranslate %}\n"
        '<nav aria-label="分页">{{ value|default:_("无") }}</nav>\n'
        '{% include "x.html" with title="标题" %}\n'
        "{% comment %}\n说明\n{% endcomment %}\n"
    )
    monkeypatch.setattr("ggzy.core.tests.test_i18n.ROOT", tmp_path)
    assert untranslated_template(template) == [
        "fake/templates/fake/page.html:3: <p>未翻译</p>",
        'fake/templates/fake/page.html:7: <nav aria-label="分页">{{ value|default:"" }}</nav>',
        'fake/templates/fake/page.html:8: {% include "x.html" with title="标题" %}',
    ]


def test_every_template_exemption_names_an_existing_template_or_app():
    for rel in EXEMPT_TEMPLATES:
        # A folder exemption needs its app (the templates may not have landed yet).
        assert (ROOT / rel).is_file() if not rel.endswith("/") else (ROOT / rel.split("/")[0]).is_dir(), rel
